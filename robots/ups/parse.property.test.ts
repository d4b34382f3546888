import { describe, it } from 'vitest';
import { recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { checkIssuedToken, checkTrackOutcome } from '../../src/testing/domain-checks.ts';
import { anyAnswer, mutatedAnswer, trackAnswers } from '../../src/testing/carrier-answers.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { fetchAccessToken } from './oauth.ts';
import { parseTrackResponse } from './parse.ts';

// Whatever UPS answers, the robot reads a well-formed outcome and token, or fails with a classified error and evidence.

const STATUSES = [200, 400, 404];
const recorded = recordedPayloads('ups', '.json');
const asked = { numberKeys: ['trackingNumber', 'inquiryNumber'], maxNumbers: 1 };

describe('parseTrackResponse never crashes', () => {
  it.each([
    ['any text', anyAnswer(STATUSES)],
    ['recorded payloads broken in a few places', mutatedAnswer(recorded.filter(({ file }) => !file.startsWith('token-')), STATUSES)],
  ])('%s: an outcome for the number asked, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      trackAnswers(answers, asked),
      ({ status, body, numbers: [number = ''] }) => parseTrackResponse(status, body, number),
      (outcome, { numbers: [number = ''] }) => checkTrackOutcome(outcome, number),
    );
  });
});

describe('the token answer never crashes a token fetch', () => {
  const credentials = { apiUrl: 'https://onlinetools.ups.test', clientId: 'id', clientSecret: 'secret', timeoutMs: 1000 };

  it.each([
    ['any text', anyAnswer([200, 401])],
    ['the recorded token answer broken in a few places', mutatedAnswer(recorded.filter(({ file }) => file.startsWith('token-')), [200, 401])],
  ])('%s: a token with its lifetime, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(answers, ({ status, body }) => fetchAccessToken(fakeHttp({ status, headers: {}, text: body }), credentials, 0), checkIssuedToken);
  });
});
