import { describe, expect, it } from 'vitest';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { parseOrderList, type ReadSettings } from './parse.ts';

const payload = payloadReader('mirakl');
const settings: ReadSettings = { instance: 'eci', timeZone: 'Europe/Madrid', transitDays: 2, carrierOverrides: {} };

describe('parseOrderList', () => {
  it("reads the real El Corte Inglés OR11 order: awaiting shipment, promised by the platform's field", () => {
    const list = parseOrderList(payload('or11-real-eci-awaiting-shipment.json'), { ...settings, promiseField: 'fecha-maxima-entrega' });
    expect(list).toMatchObject({ total: 1, rejected: [] });
    expect(list.orders).toEqual([
      {
        orderRef: '00100900679567820250120112639_1-A',
        state: 'SHIPPING',
        stage: 'awaiting_shipment',
        lines: [{ sku: '8445005601371', title: 'Zapatillas deportivas unisex estilo running', quantity: 1, unitPrice: 39.9 }],
        total: 39.9,
        currency: 'EUR',
        carrier: undefined,
        carrierId: undefined,
        trackingNumber: undefined,
        promisedFrom: '2025-01-27',
        promisedTo: '2025-01-27',
        promiseSource: 'platform_field',
        shipBy: '2025-01-21T22:59:59.999Z',
        createdAt: '2025-01-20T10:26:56Z',
        updatedAt: '2025-01-20T10:56:23Z',
        channel: 'mirakl:eciStore',
        customerEmail: undefined,
        customerLocale: undefined,
        destinationCountry: 'ES',
      },
    ]);
  });

  it('falls back on the ship-by deadline plus the transit days, the deadline read as a day in MIRAKL_TIME_ZONE', () => {
    const [order] = parseOrderList(payload('or11-real-eci-awaiting-shipment.json'), settings).orders;
    // 2025-01-21T22:59:59.999Z is the last instant of the 21st in Madrid.
    expect(order).toMatchObject({ promisedFrom: '2025-01-23', promisedTo: '2025-01-23', promiseSource: 'shipping_deadline' });
    const [inLondon] = parseOrderList(payload('or11-real-eci-awaiting-shipment.json'), { ...settings, timeZone: 'Europe/London', transitDays: 0 }).orders;
    expect(inLondon).toMatchObject({ promisedTo: '2025-01-21' });
  });

  it('counts the transit days in business days of the destination country: weekends and its public holidays are skipped', () => {
    const withDeadline = (deadline: string, country = 'ES') =>
      parseOrderList(payload('or11-real-eci-awaiting-shipment.json').replace('2025-01-21T22:59:59.999Z', deadline).replaceAll('"country": "ES"', `"country": "${country}"`), settings).orders[0];
    // Friday 24 January in Madrid, plus 2: Monday, then Tuesday.
    expect(withDeadline('2025-01-24T22:59:59.999Z')).toMatchObject({ promisedTo: '2025-01-28', destinationCountry: 'ES' });
    // Friday 18 April 2025 plus 2: Easter Monday is a public holiday in France, not in Spain.
    expect(withDeadline('2025-04-18T21:59:59.999Z', 'FR')).toMatchObject({ promisedTo: '2025-04-23', destinationCountry: 'FR' });
    expect(withDeadline('2025-04-18T21:59:59.999Z', 'ES')).toMatchObject({ promisedTo: '2025-04-22' });
  });

  it('reads a shipped order and rejects each unreadable one with the field and why, keeping the others', () => {
    const list = parseOrderList(payload('or11-shipped-and-bad-orders.json'), settings);
    expect(list.orders).toHaveLength(1);
    // CORREOS is unknown: the standard code DHL is tried next. The window is read in Madrid.
    expect(list.orders[0]).toMatchObject({ stage: 'shipped', carrier: 'CORREOS', carrierId: 'dhl', trackingNumber: 'JVGL0612345678901234', promisedFrom: '2025-01-22', promisedTo: '2025-01-24', promiseSource: 'delivery_date' });
    expect(list.rejected).toEqual([
      { orderRef: 'BAD-STATE-A', reason: 'order_state: unknown state "WAITING_REFUND"' },
      { orderRef: 'BAD-DEADLINE-A', reason: 'shipping_deadline: expected an ISO 8601 date and time' },
      { orderRef: undefined, reason: 'order_id: missing' },
      { orderRef: 'BAD-LATEST-A', reason: 'delivery_date: earliest is after latest' },
    ]);
    expect(JSON.stringify(list.rejected)).not.toContain('REDACTED');
  });

  it('rejects a promise past year 9999 (a placeholder deadline read in a zone east of it)', () => {
    const body = payload('or11-real-eci-awaiting-shipment.json').replace(/"shipping_deadline": ?"[^"]*"/, '"shipping_deadline": "9999-12-31T23:59:59-14:00"');
    expect(body).toContain('9999-12-31T23:59:59-14:00');
    for (const transitDays of [0, 2]) {
      const list = parseOrderList(body, { ...settings, transitDays });
      expect(list.orders).toEqual([]);
      expect(list.rejected).toEqual([{ orderRef: expect.any(String), reason: 'shipping_deadline: the promised day is past year 9999' }]);
    }
  });

  it('maps carrier codes with MIRAKL_CARRIER_CODES first', () => {
    const list = parseOrderList(payload('or11-shipped-and-bad-orders.json'), { ...settings, carrierOverrides: { CORREOS: 'laposte' } });
    expect(list.orders[0]?.carrierId).toBe('laposte');
  });

  it('takes an empty carrier code for none: the next code names the carrier', () => {
    const body = payload('or11-shipped-and-bad-orders.json').replace('"shipping_carrier_code": "CORREOS"', '"shipping_carrier_code": ""');
    expect(parseOrderList(body, settings).orders[0]).toMatchObject({ carrier: 'DHL', carrierId: 'dhl' });
  });

  it("rejects a platform field's promised day the calendar does not have", () => {
    const body = payload('or11-real-eci-awaiting-shipment.json').replace('"2025-01-27"', '"2025-02-30"');
    expect(parseOrderList(body, { ...settings, promiseField: 'fecha-maxima-entrega' }).rejected).toEqual([
      { orderRef: '00100900679567820250120112639_1-A', reason: 'order_additional_fields.fecha-maxima-entrega: expected a day YYYY-MM-DD or an ISO 8601 date and time' },
    ]);
  });

  it.each([
    ['or11-wrong-shape.json', /^Mirakl answered OR11 with a body that does not match the Seller API: at orders: missing$/],
    ['or11-truncated-body.txt', /: the body is not JSON$/],
  ])('refuses %s as a whole, with its personal data blanked from the evidence', (file, message) => {
    const error = errorOf(() => parseOrderList(payload(file), settings));
    expect(error).toMatchObject({ code: 'CARRIER_BAD_PAYLOAD', message: expect.stringMatching(message) });
    expect(error.evidence?.body).toMatch(/"firstname": "\[blanked\]"/);
    expect(error.evidence?.body).not.toContain('REDACTED');
  });
});
