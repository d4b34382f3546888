import { describe, expect, it } from 'vitest';
import { fakeHttp } from '../../fixtures/testing/fake-http.ts';
import { RobotError } from '../../src/robot-kit/index.ts';
import { fetchIdships } from './client.ts';

const NOW_MS = Date.parse('2024-03-13T10:00:00Z');

const settings = { apiUrl: 'https://api.laposte.fr', apiKey: 'k'.repeat(64), lang: 'fr_FR', timeoutMs: 10_000 };

describe('fetchIdships', () => {
  it.each([
    ['https://api.laposte.fr', 'https://api.laposte.fr/suivi/v2/idships/6A18987970674,EW112720413FR?lang=en_GB'],
    ['https://api.laposte.fr/', 'https://api.laposte.fr/suivi/v2/idships/6A18987970674,EW112720413FR?lang=en_GB'],
    ['http://127.0.0.1:4321/laposte', 'http://127.0.0.1:4321/laposte/suivi/v2/idships/6A18987970674,EW112720413FR?lang=en_GB'],
    ['http://127.0.0.1:4321/laposte/', 'http://127.0.0.1:4321/laposte/suivi/v2/idships/6A18987970674,EW112720413FR?lang=en_GB'],
  ])('joins %s into %s', async (apiUrl, url) => {
    const http = fakeHttp({ status: 200, headers: {}, text: '{}' });
    await fetchIdships(http, { ...settings, apiUrl, lang: 'en_GB' }, ['6A18987970674', 'EW112720413FR'], NOW_MS);
    expect(http.requests[0]?.url).toBe(url);
  });

  it('sends the key, asks for JSON, passes the timeout and hands back status and text', async () => {
    const http = fakeHttp({ status: 404, headers: {}, text: '{"returnCode":404}' });
    const answer = await fetchIdships(http, settings, ['6A18987970674'], NOW_MS);
    expect(http.requests[0]).toMatchObject({
      method: 'GET',
      headers: { 'X-Okapi-Key': settings.apiKey, Accept: 'application/json' },
      timeoutMs: 10_000,
    });
    expect(answer).toEqual({ status: 404, text: '{"returnCode":404}' });
  });

  it('throws the shared errors itself, keeping Retry-After and no query string in the evidence', async () => {
    const http = fakeHttp({ status: 429, headers: { 'retry-after': '30' }, text: '{"code":"TOO_MANY_REQUESTS"}' });
    const error = await fetchIdships(http, settings, ['6A18987970674'], NOW_MS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RobotError);
    expect(error).toMatchObject({
      code: 'CARRIER_RATE_LIMITED',
      retryAfterMs: 30_000,
      evidence: { request: { method: 'GET', url: 'https://api.laposte.fr/suivi/v2/idships/6A18987970674' }, status: 429 },
    });
    expect(JSON.stringify(error)).not.toContain(settings.apiKey);
  });
});
