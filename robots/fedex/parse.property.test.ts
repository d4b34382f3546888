import { describe, it } from 'vitest';
import { recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { checkIssuedToken, checkTrackOutcomes } from '../../src/testing/domain-checks.ts';
import { anyAnswer, mutatedAnswer, trackAnswers } from '../../src/testing/carrier-answers.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parseTrackResponse } from './parse.ts';
import { readTokenResponse } from './token.ts';

// Whatever FedEx answers, the parsers return well-formed outcomes and tokens, or a classified error with evidence.

const STATUSES = [200, 400, 404];
const recorded = recordedPayloads('fedex', '.json');
const asked = { numberKeys: ['trackingNumber'], maxNumbers: 30 };
const request = { method: 'POST' as const, url: 'https://apis.fedex.com/track/v1/trackingnumbers' };
const NOW_MS = Date.parse('2024-03-14T20:00:00Z');

describe('parseTrackResponse never crashes', () => {
  it.each([
    ['any text', anyAnswer(STATUSES)],
    ['recorded payloads broken in a few places', mutatedAnswer(recorded.filter(({ file }) => !file.startsWith('token-')), STATUSES)],
  ])('%s: outcomes for every number asked, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      trackAnswers(answers, asked),
      ({ status, body, numbers }) => parseTrackResponse({ request, response: { status, headers: {}, text: body } }, numbers, NOW_MS),
      (outcomes, { numbers }) => checkTrackOutcomes(outcomes, numbers),
    );
  });
});

describe('readTokenResponse never crashes', () => {
  const tokenRequest = { method: 'POST' as const, url: 'https://apis.fedex.com/oauth/token' };

  it.each([
    ['any text', anyAnswer([200, 401])],
    ['recorded token answers broken in a few places', mutatedAnswer(recorded.filter(({ file }) => file.startsWith('token-')), [200, 401])],
  ])('%s: a token with its lifetime, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(answers, ({ status, body }) => readTokenResponse({ request: tokenRequest, response: { status, headers: {}, text: body } }, NOW_MS), checkIssuedToken);
  });
});
