import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadReader, recordedPayloads } from '../../fixtures/testing/payloads.ts';
import { checkOrderPage } from '../../src/testing/domain-checks.ts';
import { mutatedJson } from '../../src/testing/mutated-json.ts';
import { anyText } from '../../src/testing/odd-input.ts';
import { assertParsesOrRefuses } from '../../src/testing/parser-properties.ts';
import { parseOrderList, type ReadSettings } from './parse.ts';
import { refundOrder } from './refund.ts';

// Whatever Mirakl answers OR11 and OR28, the robot reads well-formed orders and refunds, or
// fails with a classified error and evidence.

const payload = payloadReader('mirakl');
const pages = recordedPayloads('mirakl', '.json').filter(({ file }) => file.startsWith('or11-'));

const settings: fc.Arbitrary<ReadSettings> = fc.record({
  instance: fc.constant('eci'),
  timeZone: fc.constantFrom('Europe/Madrid', 'America/Los_Angeles', 'Pacific/Kiritimati', 'UTC'),
  promiseField: fc.constantFrom(undefined, 'fecha-maxima-entrega'),
  transitDays: fc.integer({ min: 0, max: 30 }),
  carrierOverrides: fc.constant({}),
});

describe('parseOrderList never crashes', () => {
  it.each([
    ['any text', anyText],
    ['recorded OR11 pages broken in a few places', mutatedJson(pages.map(({ text }) => text))],
  ])('%s: readable orders, the others rejected with why, or a classified error', async (_, bodies) => {
    await assertParsesOrRefuses(
      fc.record({ body: bodies, settings }),
      ({ body, settings: read }) => parseOrderList(body, read),
      (list) => {
        checkOrderPage(list);
        expect(Number.isInteger(list.total) && list.total >= 0).toBe(true);
        // The raw order kept for the refund is one with the same id (the last, when a page repeats an id).
        expect(new Set(list.raw.keys())).toEqual(new Set(list.orders.map((order) => order.orderRef)));
      },
    );
  });
});

describe('the OR28 answer never crashes a refund', () => {
  const order = parseOrderList(payload('or11-real-eci-awaiting-shipment.json'), { instance: 'eci', timeZone: 'Europe/Madrid', transitDays: 2, carrierOverrides: {} });
  const request = { orderRef: order.orders[0]!.orderRef, amount: 10, currency: 'EUR', reason: 'late' };

  it.each([
    ['any text', anyText],
    ['the recorded answer broken in a few places', mutatedJson([payload('or28-refund-made.json')])],
  ])('%s: a receipt with a reference, or a classified error', async (_, answers) => {
    await assertParsesOrRefuses(
      answers,
      (answer) => refundOrder(request, { reasonCode: '14', read: async () => order, send: async () => answer }),
      (receipt) => {
        expect(receipt.orderRef).toBe(request.orderRef);
        expect(receipt.amount).toBe(request.amount);
        expect(receipt.reference).toMatch(/\S/);
      },
    );
  });
});
