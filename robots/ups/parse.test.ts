import { describe, expect, it } from 'vitest';
import { foundSnapshot } from '../../fixtures/testing/found-snapshot.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { type ErrorCode, type TrackOutcome, withoutPersonalData } from '../../src/robot-kit/index.ts';
import { parseTrackResponse } from './parse.ts';

const body = payloadReader('ups');

/** The HTTP status of the payloads read with their recorded status; any other file comes with 200. */
const HTTP_STATUS: Record<string, number> = {
  'invalid-number-400.json': 400,
  'malformed-request-400.json': 400,
  'not-found-404.json': 404,
};

function parse(file: string, number: string, status = HTTP_STATUS[file] ?? 200): TrackOutcome {
  return parseTrackResponse(status, body(file), number);
}

/** Tracks the number a found payload is about. */
function snapshotOf(file: string): Snapshot {
  const json = JSON.parse(body(file)) as { trackResponse: { shipment: { inquiryNumber: string }[] } };
  return foundSnapshot(parse(file, json.trackResponse.shipment[0]!.inquiryNumber), file);
}

describe('a found parcel', () => {
  it('reads the official UPS sample (no GMT fields) into a full snapshot', () => {
    expect(snapshotOf('delivered-postman-sample.json')).toEqual({
      trackingNumber: '1Z1442YY7229014688',
      carrier: 'ups',
      status: 'delivered',
      isFinal: true,
      deliveredAt: '2022-01-26T16:30:00+00:00',
      unmappedCodes: [],
      events: [
        { at: '2022-01-26T16:30:00+00:00', code: 'D/F4/011', label: 'DELIVERED', status: 'delivered', location: 'PARAMUS, NJ, US', source: 'api', robot: 'ups' },
        {
          at: '2022-01-26T15:16:41+00:00',
          code: 'M/MP/003',
          label: 'Shipper created a label, UPS has not received the package yet.',
          status: 'pending',
          reason: 'retailer_label_created',
          location: 'US',
          source: 'api',
          robot: 'ups',
        },
      ],
    });
  });

  it('reads a simulator answer with offsets, product and estimate', () => {
    const snapshot = snapshotOf('in-transit.json');
    expect(snapshot).toMatchObject({
      trackingNumber: '1ZA4V7296879296564',
      status: 'in_transit',
      isFinal: false,
      product: 'UPS Standard',
      estimatedDelivery: { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' },
      unmappedCodes: [],
    });
    expect(snapshot.deliveredAt).toBeUndefined();
    expect(snapshot.events[0]).toEqual({
      at: '2024-07-10T05:00:00+02:00',
      code: 'I/AR/005',
      label: 'Arrived at Facility',
      status: 'in_transit',
      location: 'CORBAS, FR',
      source: 'api',
      robot: 'ups',
    });
  });

  it('keeps each scan in its own offset on an international trip', () => {
    const { events } = snapshotOf('international-in-transit.json');
    expect(events.map((event) => event.at.slice(-6))).toEqual(['+02:00', '+02:00', '+02:00', '+02:00', '+02:00', '-04:00', '-04:00', '-04:00', '-04:00', '-04:00']);
    const times = events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events[9]?.location).toBe('US');
    expect(events[8]?.location).toBe('PARAMUS, NJ, US');
  });

  it('derives the offset from the GMT date and time when gmtOffset is missing', () => {
    const withOffset = snapshotOf('in-transit.json').events.map((event) => event.at);
    expect(snapshotOf('gmt-offset-missing.json').events.map((event) => event.at)).toEqual(withOffset);
    expect(snapshotOf('gmt-time-other-forms.json').events.map((event) => event.at)).toEqual(withOffset);
  });

  it('sorts activities most recent first when UPS does not', () => {
    expect(snapshotOf('activities-out-of-order.json').events).toEqual(snapshotOf('in-transit.json').events);
  });

  it('reads the package asked for in a shipment of several', () => {
    const [outcome] = [parse('multi-package-shipment.json', '1ZA4V7296899000013')];
    expect(outcome).toMatchObject({ kind: 'found', snapshot: { trackingNumber: '1ZA4V7296899000013', status: 'out_for_delivery' } });
  });

  it('is pending while UPS knows the number but has no activity', () => {
    expect(snapshotOf('no-activity-yet.json')).toMatchObject({ status: 'pending', events: [], unmappedCodes: [], isFinal: false });
  });

  it('reads freight activities by their type, and lists an unknown type for review', () => {
    const snapshot = snapshotOf('freight-type-only.json');
    expect(snapshot.events.map((event) => [event.code, event.status])).toEqual([
      ['D/-/-', 'delivered'],
      ['DD/-/-', 'in_transit'],
      ['W/-/-', 'in_transit'],
      ['ZZ/-/-', 'unknown'],
    ]);
    expect(snapshot).toMatchObject({ status: 'delivered', isFinal: true, deliveredAt: '2024-07-09T14:30:00+02:00' });
    expect(snapshot.unmappedCodes).toEqual([{ code: 'ZZ/-/-', label: 'A new kind of activity' }]);
  });

  it('marks an unknown status code unknown and lists it for review, never using the type instead', () => {
    const snapshot = snapshotOf('unknown-code.json');
    expect(snapshot.status).toBe('unknown');
    expect(snapshot.reason).toBeUndefined();
    expect(snapshot.events[0]).toMatchObject({ code: 'X/ZQ/170', status: 'unknown' });
    expect(snapshot.unmappedCodes).toEqual([{ code: 'X/ZQ/170', label: 'Your package is being prepared for a special handling process.' }]);
  });
});

describe('the status is the newest activity\'s', () => {
  it.each([
    ['label-created.json', 'M/MP/003', 'pending', 'retailer_label_created'],
    ['picked-up.json', 'I/PU/038', 'picked_up', undefined],
    ['dropped-at-access-point.json', 'I/XD/169', 'picked_up', undefined],
    ['in-transit.json', 'I/AR/005', 'in_transit', undefined],
    ['express-commit-time.json', 'I/OR/005', 'in_transit', undefined],
    ['out-for-delivery-window.json', 'I/OT/021', 'out_for_delivery', undefined],
    ['access-point-ready.json', 'D/2Q/161', 'ready_for_pickup', undefined],
    ['receiver-absent.json', 'X/48/022', 'delivery_failed', 'consignee_not_home'],
    ['final-attempt-failed.json', 'X/49/024', 'delivery_failed', 'consignee_not_home'],
    ['customs-hold.json', 'X/B5/058', 'on_hold', 'customs_documentation'],
    ['weather-delay.json', 'U/UP/154', 'delivery_delayed', 'weather_delay'],
    ['mechanical-delay.json', 'U/UP/154', 'delivery_delayed', 'carrier_incident'],
    ['incorrect-address.json', 'X/AF/050', 'on_hold', 'consignee_incorrect_address'],
    ['refused-returning.json', 'X/UF/035', 'return_to_sender', undefined],
    ['returned-to-sender.json', 'X/UA/034', 'return_to_sender', 'carrier_returned_to_sender'],
    ['damaged.json', 'X/45/059', 'damaged', 'carrier_damaged_parcel'],
    ['lost.json', 'X/S9/068', 'lost', 'carrier_parcel_lost'],
    ['voided.json', 'MV/VP/007', 'cancelled', undefined],
    ['delivered.json', 'D/F4/011', 'delivered', undefined],
    ['access-point-collected.json', 'D/2W/011', 'delivered', undefined],
    ['delivered-with-photo.json', 'U/PX/155', 'delivered', undefined],
  ])('%s: newest %s -> %s (%s)', (file, code, status, reason) => {
    const snapshot = snapshotOf(file);
    expect(snapshot.events[0]).toMatchObject({ code, status });
    expect(snapshot.events[0]?.reason).toBe(reason);
    expect(snapshot.status).toBe(status);
    expect(snapshot.reason).toBe(reason);
    expect(snapshot.unmappedCodes).toEqual([]);
  });

  it('lets an informational activity keep the status before it, not read as a step back', () => {
    const [photo, delivery] = snapshotOf('delivered-with-photo.json').events;
    expect(photo).toMatchObject({ code: 'U/PX/155', status: 'delivered', label: 'Delivery Photo' });
    expect(delivery).toMatchObject({ code: 'D/F4/011', status: 'delivered' });
    const [update, exception] = snapshotOf('mechanical-delay.json').events;
    expect(update).toMatchObject({ code: 'U/UP/154', status: 'delivery_delayed', reason: 'carrier_incident' });
    expect(exception).toMatchObject({ code: 'X/16/013', status: 'delivery_delayed', reason: 'carrier_incident' });
  });

  it.each([
    ['delivered.json', true],
    ['delivered-with-photo.json', true],
    ['returned-to-sender.json', true],
    ['lost.json', true],
    ['voided.json', true],
    ['refused-returning.json', false],
    ['access-point-ready.json', false],
    ['receiver-absent.json', false],
  ])('%s: isFinal %s', (file, isFinal) => {
    expect(snapshotOf(file).isFinal).toBe(isFinal);
  });
});

describe('dates', () => {
  it.each([
    ['in-transit.json', { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }], // SDD
    ['receiver-absent.json', { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T23:59:59+02:00' }], // RDD over SDD
    ['out-for-delivery-window.json', { from: '2024-07-10T12:00:00+02:00', to: '2024-07-10T16:00:00+02:00' }], // EDW
    ['express-commit-time.json', { from: '2024-07-11T00:00:00+02:00', to: '2024-07-11T12:00:00+02:00' }], // CMT
    ['delivered.json', undefined], // DEL only
    ['refused-returning.json', undefined],
  ])('%s: estimated delivery %j', (file, window) => {
    expect(snapshotOf(file).estimatedDelivery).toEqual(window);
  });

  it.each([
    ['delivered.json', '2024-07-09T10:00:00+02:00'], // 1 day 2 h before 12:00 in Paris
    ['delivered-with-photo.json', '2024-07-10T10:00:00+02:00'], // the delivery scan, not the photo after it
    ['access-point-collected.json', '2024-07-10T07:00:00+02:00'],
    ['access-point-ready.json', undefined], // at the Access Point, not yet with the receiver
    ['returned-to-sender.json', undefined],
  ])('%s: delivered at %s', (file, at) => {
    expect(snapshotOf(file).deliveredAt).toBe(at);
  });
});

describe('not found and rejected numbers', () => {
  it('reads HTTP 200 with the TW0001 warning as not found (karrio\'s capture)', () => {
    expect(parse('not-found-warning.json', '1ZA4V7296899000013')).toEqual({
      trackingNumber: '1ZA4V7296899000013',
      kind: 'not_found',
      message: 'UPS has no tracking for this number: TW0001 "Tracking Information Not Found"',
    });
  });

  it('reads any other warning without a package as not found, quoting it', () => {
    expect(parse('warning-other-code.json', '1ZA4V7296899000013')).toMatchObject({ kind: 'not_found', message: expect.stringContaining('TW0002') });
  });

  it('reads a 404 in the UPS error shape as not found (the OpenAPI)', () => {
    expect(parse('not-found-404.json', '1ZA4V7296899000013')).toEqual({
      trackingNumber: '1ZA4V7296899000013',
      kind: 'not_found',
      message: 'UPS does not know this number: TW0001 "Tracking Information Not Found"',
    });
  });

  it('reads TV1002 as this number rejected, with the body as evidence', () => {
    const outcome = parse('invalid-number-400.json', '1ZA4V72968');
    expect(outcome.kind).toBe('rejected');
    const error = outcome.kind === 'rejected' ? outcome.error : undefined;
    expect(error).toMatchObject({ code: 'TRACKING_NUMBER_INVALID', message: 'UPS refused this number: TV1002 "Invalid inquiry number"' });
    expect(error?.evidence).toEqual({ status: 400, body: body('invalid-number-400.json') });
  });
});

// Each payload with the HTTP status it comes with (or another status it may come with).
describe('errors of the whole call', () => {
  it.each<[string, number, ErrorCode]>([
    ['malformed-request-400.json', 400, 'CARRIER_BAD_REQUEST'],
    ['unauthorized-401.json', 401, 'CARRIER_AUTH_REFUSED'],
    ['blocked-merchant-403.json', 403, 'CARRIER_AUTH_REFUSED'],
    ['rate-limited-429.json', 429, 'CARRIER_RATE_LIMITED'],
    ['internal-error-500.json', 500, 'CARRIER_UNAVAILABLE'],
    ['unavailable-503.json', 503, 'CARRIER_UNAVAILABLE'],
    ['unavailable-503.json', 504, 'CARRIER_TIMEOUT'],
    ['malformed-body.txt', 502, 'CARRIER_UNAVAILABLE'],
  ])('%s (HTTP %i) -> %s', (file, status, code) => {
    const error = errorOf(() => parse(file, '1ZA4V7296879296564', status));
    expect(error.code).toBe(code);
    expect(error.evidence?.body).toBe(body(file));
  });

  it.each<[string, number, string]>([
    ['malformed-body.txt', 200, 'the body is not JSON'],
    ['malformed-body.txt', 404, 'the body is not JSON'],
    ['wrong-shape.json', 200, 'at trackResponse.shipment.0.package.0.activity: '],
    ['openapi-example-placeholders.json', 200, 'at trackResponse.shipment.0.package.0.deliveryDate.0.date: expected a date YYYYMMDD'],
    ['status-code-not-padded.json', 200, 'at trackResponse.shipment.0.package.0.activity.0.status.statusCode: expected a 3-digit status code'],
    ['impossible-date.json', 200, 'at trackResponse.shipment.0.package.0.activity.0.date: expected a date YYYYMMDD'],
    ['estimate-window-reversed.json', 200, 'the estimated delivery ends before it starts'],
    ['shipment-without-package-or-warning.json', 200, 'a shipment with neither a package nor a warning'],
    ['not-found-warning.json', 404, 'at response: '],
    ['in-transit.json', 400, 'at response: '],
    ['in-transit.json', 302, 'the Track API documents no such status'],
  ])('%s (HTTP %i) is a bad payload: %s', (file, status, detail) => {
    const error = errorOf(() => parse(file, '1ZA4V7296879296564', status));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(`UPS answered HTTP ${status} with a body that does not match the Track API: ${detail}`);
    // The OpenAPI example's addresses are blanked, as every evidence body's personal data is.
    expect(error.evidence).toEqual({ status, body: withoutPersonalData(body(file)) });
  });
});
