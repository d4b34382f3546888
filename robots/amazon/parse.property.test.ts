import { describe, it } from 'vitest';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { anyAnswer, mutatedAnswer } from '../../src/testing/carrier-answers.ts';
import { checkIssuedToken, checkOrderPage } from '../../src/testing/domain-checks.ts';
import { mutatedJson } from '../../src/testing/mutated-json.ts';
import { anyText } from '../../src/testing/odd-input.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { fetchLwaToken } from './lwa.ts';
import { parseGetOrders } from './parse.ts';

// Whatever Amazon answers getOrders and Login with Amazon, the robot reads well-formed orders and
// tokens, or fails with a classified error and evidence.

const recorded = recordedPayloads('amazon', '.json');
const pages = recorded.filter(({ file }) => file.startsWith('get-orders-')).map(({ text }) => text);

describe('parseGetOrders never crashes', () => {
  it.each([
    ['any text', anyText],
    ['recorded pages broken in a few places', mutatedJson(pages)],
  ])('%s: readable orders, the others rejected with why, or a classified error', async (_, bodies) => {
    await assertParsesOrRefuses(bodies, parseGetOrders, checkOrderPage);
  });
});

describe('the Login with Amazon answer never crashes a token fetch', () => {
  const STATUSES = [200, 400, 401];
  const credentials = { lwaUrl: 'https://lwa.test', clientId: 'id', clientSecret: 'secret', refreshToken: 'Atzr|r', timeoutMs: 1000 };

  it.each([
    ['any text', anyAnswer(STATUSES)],
    ['recorded answers broken in a few places', mutatedAnswer(recorded.filter(({ file }) => file.startsWith('lwa-')), STATUSES)],
  ])('%s: a token with its lifetime, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      answers,
      ({ status, body }) => fetchLwaToken(fakeHttp({ status, headers: {}, text: body }), credentials, 0),
      checkIssuedToken,
    );
  });
});
