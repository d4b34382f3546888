import { describe, expect, it } from 'vitest';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { type HttpRequest, type HttpResponse, RobotError } from '../../src/robot-kit/index.ts';
import { DailyQuotaWatch } from './daily-quota.ts';

const AT_10 = Date.parse('2024-07-10T10:00:00Z');
const UNTIL_MIDNIGHT_FROM_10 = 14 * 3600_000;
const request: HttpRequest = { method: 'GET', url: 'https://api-eu.dhl.com/track/shipments?trackingNumber=3318810025&language=en' };
const tooMany: HttpResponse = { status: 429, headers: {}, text: '{"status":429,"title":"Too Many Requests"}' };
const found: HttpResponse = { status: 200, headers: {}, text: '{"shipments":[]}' };

/** Feeds `answers` to one watch, each at its time; the retryAfterMs of a throw, else undefined. */
function waits(answers: [response: HttpResponse, atMs: number][]): (number | undefined)[] {
  const watch = new DailyQuotaWatch();
  return answers.map(([response, atMs]) => {
    try {
      watch.check(request, response, atMs);
      return undefined;
    } catch (error) {
      if (!(error instanceof RobotError)) throw error;
      return error.retryAfterMs;
    }
  });
}

describe('DailyQuotaWatch', () => {
  it('lets a first 429 through to the shared one-second wait', () => {
    expect(waits([[tooMany, AT_10]])).toEqual([undefined]);
  });

  it('waits until 00:00 GMT on a 429 again once that second has passed', () => {
    expect(waits([[tooMany, AT_10], [tooMany, AT_10 + 1000]])).toEqual([undefined, UNTIL_MIDNIGHT_FROM_10 - 1000]);
    expect(waits([[tooMany, AT_10], [tooMany, AT_10 + 5000], [tooMany, AT_10 + 30_000]])).toEqual([undefined, UNTIL_MIDNIGHT_FROM_10 - 5000, UNTIL_MIDNIGHT_FROM_10 - 30_000]);
  });

  it('says so in the error, without the query of the request', () => {
    const watch = new DailyQuotaWatch();
    watch.check(request, tooMany, AT_10);
    const error = errorOf(() => watch.check(request, tooMany, AT_10 + 1000));
    expect(error).toMatchObject({ code: 'CARRIER_RATE_LIMITED', evidence: { request: { method: 'GET', url: 'https://api-eu.dhl.com/track/shipments' }, status: 429 } });
    expect(error.message).toBe('DHL daily quota spent (HTTP 429 again after waiting a second): no call until 00:00 GMT; for a higher quota, ask DHL at developer.dhl.com');
  });

  it('reads 429s within the first second as one burst of the per-second limit', () => {
    expect(waits([[tooMany, AT_10], [tooMany, AT_10 + 300], [tooMany, AT_10 + 999]])).toEqual([undefined, undefined, undefined]);
  });

  it('starts again after any other answer, and after a minute', () => {
    expect(waits([[tooMany, AT_10], [found, AT_10 + 1000], [tooMany, AT_10 + 1500]])).toEqual([undefined, undefined, undefined]);
    expect(waits([[tooMany, AT_10], [{ ...found, status: 404 }, AT_10 + 1000], [tooMany, AT_10 + 2000]])).toEqual([undefined, undefined, undefined]);
    expect(waits([[tooMany, AT_10], [tooMany, AT_10 + 60_001], [tooMany, AT_10 + 60_500]])).toEqual([undefined, undefined, undefined]);
  });

  it('leaves a 429 with Retry-After to the shared reading, without counting it', () => {
    const withHeader = { ...tooMany, headers: { 'retry-after': '30' } };
    expect(waits([[withHeader, AT_10], [withHeader, AT_10 + 30_000], [tooMany, AT_10 + 31_000]])).toEqual([undefined, undefined, undefined]);
  });
});
