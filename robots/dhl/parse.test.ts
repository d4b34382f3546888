import { describe, expect, it } from 'vitest';
import { foundSnapshot } from '../../fixtures/testing/found-snapshot.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import type { ErrorCode, TrackOutcome } from '../../src/robot-kit/index.ts';
import { parseShipmentsResponse } from './parse.ts';

const body = payloadReader('dhl');

/** The number most built payloads answer (a DHL Paket SSCC). */
const PAKET = '00340434886548692675';

function parse(file: string, number = PAKET, status = 200): TrackOutcome {
  return parseShipmentsResponse(status, body(file), number);
}

function snapshotOf(file: string, number = PAKET): Snapshot {
  return foundSnapshot(parse(file, number), file);
}

describe('a found parcel', () => {
  it('reads the real parcel-de capture (German, no zone) into a full snapshot', () => {
    expect(snapshotOf('delivered-parcel-de-capture.json', '470800204932')).toEqual({
      trackingNumber: '470800204932',
      carrier: 'dhl',
      product: 'parcel-de',
      status: 'delivered',
      isFinal: true,
      deliveredAt: '2023-03-13T09:50:00+01:00',
      unmappedCodes: [],
      events: [
        {
          at: '2023-03-13T09:50:00+01:00',
          code: 'delivered',
          label: 'Die Sendung wurde zugestellt.',
          status: 'delivered',
          location: 'Deutschland',
          source: 'api',
          robot: 'dhl',
        },
        {
          at: '2023-03-13T08:36:00+01:00',
          code: 'transit',
          label: 'Die Sendung wurde in das Zustellfahrzeug geladen. Die Zustellung erfolgt voraussichtlich heute.',
          status: 'out_for_delivery',
          source: 'api',
          robot: 'dhl',
        },
        {
          at: '2023-03-01T16:18:00+01:00',
          code: 'pre-transit',
          label: 'Die Sendung wurde elektronisch angekündigt. Sobald die Sendung von uns bearbeitet wurde, erhalten Sie weitere Informationen.',
          status: 'pending',
          reason: 'retailer_label_created',
          source: 'api',
          robot: 'dhl',
        },
      ],
    });
  });

  it('reads the OpenAPI example (numeric id, status and event apart) with its window and remark', () => {
    const snapshot = snapshotOf('spec-example-express.json', '7777777770');
    expect(snapshot).toMatchObject({
      product: 'express',
      // pre-transit, but the remark says customs inspection
      status: 'on_hold',
      reason: 'customs_delay',
      isFinal: false,
      estimatedDelivery: { from: '2018-08-03T00:00:00Z', to: '2018-08-03T22:00:00Z' },
    });
    // A proof of delivery on a parcel that is not delivered is not a delivery.
    expect(snapshot.deliveredAt).toBeUndefined();
    // `status` has a zone and its event copy has none: two instants, both kept.
    expect(snapshot.events.map((event) => event.at)).toEqual(['2018-03-02T07:53:47Z', '2018-03-02T07:53:47+01:00']);
    expect(snapshot.events[0]?.label).toBe('DELIVERED — JESSICA — The shipment is pending completion of customs inspection.');
    expect(snapshot.events[0]?.location).toBe('Oderweg 2, AMSTERDAM');
  });
});

describe('the status is the newest event\'s code, refined by its text', () => {
  it.each([
    ['pre-transit-label-created.json', 'pending', 'retailer_label_created', false],
    ['pre-transit-after-posting.json', 'picked_up', undefined, false],
    ['transit-in-transit.json', 'in_transit', undefined, false],
    ['transit-out-for-delivery-de.json', 'out_for_delivery', undefined, false],
    ['transit-out-for-delivery-express.json', 'out_for_delivery', undefined, false],
    ['transit-not-home-de.json', 'delivery_failed', 'consignee_not_home', false],
    ['transit-ready-for-pickup.json', 'ready_for_pickup', undefined, false],
    ['delivered-for-pickup-at-outlet.json', 'ready_for_pickup', undefined, false],
    ['delivered-to-neighbour.json', 'delivered', undefined, true],
    ['delivered-express-proof.json', 'delivered', undefined, true],
    ['failure-refused-returning-de.json', 'return_to_sender', 'consignee_refused', false],
    ['delivered-returned-to-sender.json', 'return_to_sender', 'consignee_not_collected', true],
    ['failure-address-incorrect-de.json', 'delivery_failed', 'consignee_incorrect_address', false],
    ['failure-recipient-unknown.json', 'delivery_failed', 'carrier_address_not_found', false],
    ['failure-damaged.json', 'damaged', 'carrier_damaged_parcel', false],
    ['failure-unrecognised-text.json', 'delivery_failed', undefined, false],
    ['failure-duties-unpaid.json', 'on_hold', 'customs_duties_unpaid', false],
    ['transit-customs-held-remark.json', 'on_hold', 'customs_delay', false],
    ['transit-status-tag.json', 'on_hold', 'customs_delay', false],
    ['transit-weather-delay.json', 'delivery_delayed', 'weather_delay', false],
    ['unknown-status-code.json', 'unknown', undefined, false],
  ])('%s -> %s (%s), final %s', (file, status, reason, isFinal) => {
    const snapshot = snapshotOf(file);
    expect(snapshot.status).toBe(status);
    expect(snapshot.reason).toBe(reason);
    expect(snapshot.isFinal).toBe(isFinal);
    expect(snapshot.unmappedCodes).toEqual([]);
  });

  it('keeps a late pre-transit notice in the list but not in charge (codes are not monotonic)', () => {
    const snapshot = snapshotOf('pre-transit-after-posting.json');
    expect(snapshot.events.map((event) => [event.code, event.status])).toEqual([
      ['pre-transit', 'pending'],
      ['transit', 'picked_up'],
    ]);
    expect(snapshot.status).toBe('picked_up');
    expect(snapshot.reason).toBeUndefined();
  });

  it('gives a return the cause of the failed delivery before it', () => {
    const snapshot = snapshotOf('failure-refused-returning-de.json');
    expect(snapshot.events.map((event) => [event.status, event.reason])).toEqual([
      ['return_to_sender', undefined],
      ['delivery_failed', 'consignee_refused'],
    ]);
  });

  it('reads DHL\'s current `status` when the events list is missing', () => {
    expect(snapshotOf('status-without-events.json')).toMatchObject({ status: 'in_transit', events: [{ code: 'transit', at: '2024-03-12T03:21:44+01:00' }] });
  });

  it('is pending while DHL knows the number but has no event', () => {
    expect(snapshotOf('no-events-yet.json')).toMatchObject({ status: 'pending', events: [], unmappedCodes: [], isFinal: false });
  });

  it('marks a code outside the 1.4.1 enum unknown and lists each (code, label) once for review', () => {
    const snapshot = snapshotOf('unmapped-code.json');
    expect(snapshot.status).toBe('unknown');
    expect(snapshot.events.map((event) => [event.code, event.status])).toEqual([
      ['exception', 'unknown'],
      ['exception', 'unknown'],
      ['transit', 'in_transit'],
    ]);
    expect(snapshot.unmappedCodes).toEqual([{ code: 'exception', label: 'The shipment is undergoing special handling.' }]);
  });
});

describe('which shipment, when DHL answers several or another id', () => {
  it.each([
    // the one whose id is the number, not the first
    ['several-shipments-match.json', '00340434765618712188', 'parcel-de', 'in_transit'],
    // the same id twice: the one scanned most recently, not the history listed first
    ['reused-number.json', '8730831981', 'express', 'in_transit'],
    // no id matches: the one listing the number as a piece id
    ['piece-id-match.json', 'JD014600002708681600', 'express', 'in_transit'],
    // no id matches (another division's waybill): the first, reported under the number asked for
    ['other-division-id.json', PAKET, 'express', 'out_for_delivery'],
  ])('%s for %s: the %s shipment, %s', (file, number, product, status) => {
    const snapshot = snapshotOf(file, number);
    expect(snapshot).toMatchObject({ trackingNumber: number, product, status });
  });

  it('matches ids and piece ids whatever their case', () => {
    const snapshot = snapshotOf('piece-id-match.json', 'jd014600002708681600');
    expect(snapshot.trackingNumber).toBe('jd014600002708681600');
    expect(snapshot.events[0]?.location).toBe('PARIS - FRANCE');
  });

  it('reads an empty list as not found', () => {
    expect(parse('no-shipments.json')).toEqual({ trackingNumber: PAKET, kind: 'not_found', message: 'DHL answered no shipment for this number' });
  });
});

describe('dates (the zone rule of time-zones.ts)', () => {
  it('reads scans without a zone in the country they name, else in the service\'s country', () => {
    const snapshot = snapshotOf('zoneless-international.json');
    expect(snapshot.events.map((event) => [event.at, event.location])).toEqual([
      ['2024-03-13T07:40:00+00:00', 'London'],
      ['2024-03-12T22:10:00+00:00', 'Coventry'],
      ['2024-03-12T09:30:00+01:00', undefined],
    ]);
  });

  it('keeps offsets DHL gives, to the millisecond', () => {
    expect(snapshotOf('ecommerce-nanoseconds.json', 'GM2951173225174494').events.map((event) => event.at)).toEqual([
      '2023-11-21T15:27:20.331+01:00',
      '2023-11-20T08:00:00.500-05:00',
    ]);
  });

  it('sorts events newest first by instant, whatever their zones', () => {
    for (const file of ['zoneless-international.json', 'transit-in-transit.json', 'spec-example-express.json']) {
      const times = snapshotOf(file, file.startsWith('spec') ? '7777777770' : PAKET).events.map((event) => Date.parse(event.at));
      expect(times, file).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it.each([
    // a bare day: the whole day in the destination's zone
    ['transit-in-transit.json', PAKET, { from: '2024-03-13T00:00:00+01:00', to: '2024-03-13T23:59:59+01:00' }],
    // midnight without a zone: a day too, in the destination's zone (GB)
    ['zoneless-international.json', PAKET, { from: '2024-03-13T00:00:00+00:00', to: '2024-03-13T23:59:59+00:00' }],
    // DHL's window, zone-less, read in Germany's summer or winter offset
    ['transit-out-for-delivery-de.json', PAKET, { from: '2024-03-13T13:00:00+01:00', to: '2024-03-13T15:00:00+01:00' }],
    // another time of day: an instant
    ['estimate-zoneless-instant.json', PAKET, { from: '2024-07-15T14:30:00+02:00', to: '2024-07-15T14:30:00+02:00' }],
    ['spec-example-express.json', '7777777770', { from: '2018-08-03T00:00:00Z', to: '2018-08-03T22:00:00Z' }],
    ['transit-weather-delay.json', PAKET, undefined],
  ])('%s: estimated delivery %j', (file, number, window) => {
    expect(snapshotOf(file, number).estimatedDelivery).toEqual(window);
  });

  it.each([
    ['delivered-parcel-de-capture.json', '470800204932', '2023-03-13T09:50:00+01:00'], // the delivered event
    ['delivered-express-proof.json', PAKET, '2024-03-13T11:01:30+01:00'], // the proof of delivery
    ['delivered-returned-to-sender.json', PAKET, undefined], // delivered back to the sender, not to the customer
    ['delivered-for-pickup-at-outlet.json', PAKET, undefined],
    ['transit-out-for-delivery-de.json', PAKET, undefined],
  ])('%s: delivered at %s', (file, number, at) => {
    expect(snapshotOf(file, number).deliveredAt).toBe(at);
  });
});

// Each payload with the HTTP status it comes with (or another it may come with).
describe('errors of the call', () => {
  it('reads the documented 404 as not found', () => {
    expect(parse('not-found-404.json', PAKET, 404)).toEqual({
      trackingNumber: PAKET,
      kind: 'not_found',
      message: 'DHL does not know this number: "No shipment with given tracking number found."',
    });
  });

  const documented = JSON.parse(body('not-found-404.json')) as Record<string, unknown>;
  const without = (field: string): Record<string, unknown> => Object.fromEntries(Object.entries(documented).filter(([key]) => key !== field));

  it.each<[string, Record<string, unknown>]>([
    ['without status', without('status')],
    ['with status as text', { ...documented, status: '404' }],
    ['in German', { ...documented, title: 'Kein Ergebnis gefunden', detail: 'Keine Sendung zur angegebenen Sendungsnummer gefunden.' }],
    ['with a type and an added field', { ...documented, type: 'about:blank', traceId: 'abc' }],
  ])('reads the documented 404 %s as not found', (_, answer) => {
    expect(parseShipmentsResponse(404, JSON.stringify(answer), PAKET)).toEqual({ trackingNumber: PAKET, kind: 'not_found', message: `DHL does not know this number: "${answer.detail}"` });
  });

  it.each<[string, string, string]>([
    ['a gateway problem body', '{"title":"Not Found","status":404,"detail":"No resource at /track/track/shipments."}', 'at instance: missing'],
    ['an empty object', '{}', 'at title: missing'],
    ['another resource', JSON.stringify({ ...documented, instance: '/track/track/shipments' }), 'at instance: expected "/shipment/<number>"'],
    ['another status', JSON.stringify({ ...documented, status: 400 }), 'at status: expected 404'],
    ['no detail', JSON.stringify(without('detail')), 'at detail: missing'],
    ['an HTML page', body('malformed-body.txt'), 'the body is not JSON'],
  ])('fails a 404 with %s as a bad payload that points at DHL_API_URL', (_, text, detail) => {
    const error = errorOf(() => parseShipmentsResponse(404, text, PAKET));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(`DHL answered HTTP 404 with a body that does not match the Unified API: ${detail}`);
    expect(error.message).toMatch(/; not the documented unknown-number answer .*: check DHL_API_URL, the base URL such as https:\/\/api-eu\.dhl\.com \(the robot adds \/track\/shipments\)$/);
    expect(error.evidence).toEqual({ status: 404, body: text });
  });

  it.each<[string, number, ErrorCode]>([
    ['bad-request-400.json', 400, 'CARRIER_BAD_REQUEST'],
    ['unauthorized-401.json', 401, 'CARRIER_AUTH_REFUSED'],
    ['unauthorized-401.json', 403, 'CARRIER_AUTH_REFUSED'],
    ['rate-limited-429.json', 429, 'CARRIER_RATE_LIMITED'],
    ['internal-error-500.json', 500, 'CARRIER_UNAVAILABLE'],
    ['internal-error-500.json', 503, 'CARRIER_UNAVAILABLE'],
    ['internal-error-500.json', 504, 'CARRIER_TIMEOUT'],
    ['malformed-body.txt', 502, 'CARRIER_UNAVAILABLE'],
  ])('%s (HTTP %i) -> %s', (file, status, code) => {
    const error = errorOf(() => parse(file, PAKET, status));
    expect(error.code).toBe(code);
    expect(error.evidence?.body).toBe(body(file));
  });

  it.each<[string, number, string]>([
    ['malformed-body.txt', 200, 'the body is not JSON'],
    ['wrong-shape.json', 200, 'at shipments: '],
    ['bad-timestamp.json', 200, 'at shipments.0.status.timestamp: expected an ISO 8601 date or date-time'],
    ['estimate-window-reversed.json', 200, 'the estimated delivery ends before it starts'],
    ['not-found-404.json', 200, 'at shipments: '],
    ['transit-in-transit.json', 302, 'the Unified API documents no such status'],
  ])('%s (HTTP %i) is a bad payload: %s', (file, status, detail) => {
    const error = errorOf(() => parse(file, PAKET, status));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(`DHL answered HTTP ${status} with a body that does not match the Unified API: ${detail}`);
    expect(error.evidence).toEqual({ status, body: body(file) });
  });
});
