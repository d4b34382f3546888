import { describe, expect, it } from 'vitest';
import { foundSnapshot } from '../../fixtures/testing/found-snapshot.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import { type ErrorCode, type TrackOutcome, withoutPersonalData } from '../../src/robot-kit/index.ts';
import { parseTrackResponse } from './parse.ts';

const body = payloadReader('fedex');
const URL_ = 'https://apis.fedex.com/track/v1/trackingnumbers';
// 2024-03-14 20:00 UTC: 4 hours before midnight GMT.
const NOW_MS = Date.parse('2024-03-14T20:00:00Z');

function parse(file: string, numbers: readonly string[], status = 200, headers: Record<string, string> = {}): TrackOutcome[] {
  return parseTrackResponse({ request: { method: 'POST', url: URL_ }, response: { status, headers, text: body(file) } }, numbers, NOW_MS);
}

/** Tracks the one number a single-number payload is about. */
function snapshotOf(file: string): Snapshot {
  const number = (JSON.parse(body(file)) as { output: { completeTrackResults: { trackingNumber: string }[] } }).output.completeTrackResults[0]!.trackingNumber;
  return foundSnapshot(parse(file, [number])[0], file);
}

describe('a found shipment', () => {
  it('reads the real delivered Ground sample into a full snapshot, each scan with its own offset', () => {
    expect(snapshotOf('delivered-ground-mixed-offsets.json')).toEqual({
      trackingNumber: '738488882438',
      carrier: 'fedex',
      product: 'FedEx Ground',
      status: 'delivered',
      isFinal: true,
      deliveredAt: '2024-08-20T12:41:57-04:00',
      // standardTransitTimeWindow.window.ends at midnight; estimatedDeliveryTimeWindow.window is {}.
      estimatedDelivery: { from: '2024-08-21T00:00:00-06:00', to: '2024-08-21T23:59:59-06:00' },
      unmappedCodes: [],
      events: [
        { at: '2024-08-20T12:41:57-04:00', code: 'DL', label: 'Delivered', status: 'delivered', location: 'Blue Point, NY, US', source: 'api', robot: 'fedex' },
        {
          at: '2024-08-20T06:47:00-04:00',
          code: 'OD',
          label: 'On FedEx vehicle for delivery',
          status: 'out_for_delivery',
          location: 'HOLBROOK, NY, US',
          source: 'api',
          robot: 'fedex',
        },
        {
          at: '2024-08-15T10:36:00-05:00',
          code: 'OC',
          label: 'Shipment information sent to FedEx',
          status: 'pending',
          reason: 'retailer_label_created',
          location: '56003, US',
          source: 'api',
          robot: 'fedex',
        },
      ],
    });
  });

  it('reads the event from eventType, not from the coarser derivedStatusCode (OD is derived IT)', () => {
    const events = snapshotOf('delivered-ground-mixed-offsets.json').events;
    expect(events.find((event) => event.code === 'OD')?.status).toBe('out_for_delivery');
  });

  it('keeps the exception text in the label and reads the cause from it', () => {
    const [exception] = snapshotOf('delivery-exception-not-home-DE.json').events;
    expect(exception).toMatchObject({ code: 'DE', label: 'Delivery exception: Customer not available or business closed', status: 'delivery_failed', reason: 'consignee_not_home' });
  });

  it('sorts scans newest first by instant, whatever their offsets', () => {
    const { events } = snapshotOf('clearance-delay-CD.json');
    expect(events.map((event) => event.at)).toEqual([
      '2024-03-13T10:05:00+01:00',
      '2024-03-13T06:50:00+01:00',
      '2024-03-12T19:30:00-05:00',
      '2024-03-12T15:02:00-05:00',
      '2024-03-12T09:15:31-05:00',
    ]);
  });
});

describe("the status is FedEx's latest status", () => {
  // One payload per status family, with the reason the code or its details give.
  it.each([
    ['label-created-OC.json', 'pending', 'retailer_label_created', false],
    ['picked-up-PU.json', 'picked_up', undefined, false],
    ['in-transit-estimate-window.json', 'in_transit', undefined, false],
    ['out-for-delivery-OD.json', 'out_for_delivery', undefined, false],
    ['ready-for-pickup-HP.json', 'ready_for_pickup', undefined, false],
    ['delivery-exception-not-home-DE.json', 'delivery_failed', 'consignee_not_home', false], // ancillaryDetails reason
    ['delay-weather-DY.json', 'delivery_delayed', 'weather_delay', false], // delayDetail WEATHER
    ['running-late-FD-derived-RL.json', 'delivery_delayed', undefined, false], // code FD, derived RL "Running Late"
    ['clearance-delay-CD.json', 'on_hold', 'customs_documentation', false], // "Import documentation required"
    ['return-to-shipper-RS.json', 'return_to_sender', 'consignee_refused', false], // from its scan: "Refused by recipient"
    ['delivered-ground-mixed-offsets.json', 'delivered', undefined, true],
    ['cancelled-CA.json', 'cancelled', undefined, true],
  ])('%s -> %s (%s), final %s', (file, status, reason, isFinal) => {
    const snapshot = snapshotOf(file);
    expect(snapshot.status).toBe(status);
    expect(snapshot.reason).toBe(reason);
    expect(snapshot.isFinal).toBe(isFinal);
    expect(snapshot.unmappedCodes).toEqual([]);
  });

  it('falls back to the derived code for an unknown eventType, and lists the code for review', () => {
    const snapshot = snapshotOf('unmapped-event-type-derived-IT.json');
    expect(snapshot.status).toBe('in_transit');
    expect(snapshot.events.slice(0, 2).map((event) => [event.code, event.status])).toEqual([
      ['ZX', 'in_transit'],
      ['ZX', 'in_transit'],
    ]);
    expect(snapshot.unmappedCodes).toEqual([{ code: 'ZX', label: 'Special handling in progress' }]);
  });

  it('says unknown when neither the code nor the derived code is known, never a guess', () => {
    const snapshot = snapshotOf('unmapped-code-and-derived.json');
    expect(snapshot).toMatchObject({ status: 'unknown', isFinal: false, unmappedCodes: [{ code: 'QQ', label: 'Package status under review' }] });
    expect(snapshot.events[0]?.status).toBe('unknown');
    expect(snapshot.reason).toBeUndefined();
  });
});

describe('dates', () => {
  it.each([
    ['in-transit-estimate-window.json', { from: '2024-03-14T10:00:00-04:00', to: '2024-03-14T14:00:00-04:00' }], // estimatedDeliveryTimeWindow
    ['picked-up-PU.json', { from: '2024-03-14T00:00:00-04:00', to: '2024-03-14T23:59:59-04:00' }], // ESTIMATED_DELIVERY at midnight: the day
    ['out-for-delivery-OD.json', { from: '2024-03-14T10:30:00-04:00', to: '2024-03-14T10:30:00-04:00' }], // ESTIMATED_DELIVERY at a time
    ['delay-weather-DY.json', { from: '2024-03-14T00:00:00-06:00', to: '2024-03-14T23:59:59-06:00' }], // standardTransitTimeWindow.window.ends
    ['running-late-FD-derived-RL.json', { from: '2024-04-25T10:30:00-07:00', to: '2024-04-25T10:30:00-07:00' }],
    // Offset-less values: `begins` takes its `ends`' offset.
    ['estimate-local-times.json', { from: '2024-03-14T08:00:00-04:00', to: '2024-03-14T12:00:00-04:00' }],
    ['unmapped-code-and-derived.json', undefined],
  ])('%s: estimated delivery %j', (file, window) => {
    expect(snapshotOf(file).estimatedDelivery).toEqual(window);
  });

  it.each([
    ['delivered-ground-mixed-offsets.json', '2024-08-20T12:41:57-04:00'], // ACTUAL_DELIVERY
    ['mixed-found-not-found-invalid.json', '2024-03-14T12:41:57-04:00'],
    ['out-for-delivery-OD.json', undefined],
    ['cancelled-CA.json', undefined],
  ])('%s: delivered at %s', (file, at) => {
    const outcome = parse(file, JSON.parse(body(file)).output.completeTrackResults.map((c: { trackingNumber: string }) => c.trackingNumber)).find((o) => o.kind === 'found');
    expect(outcome?.kind === 'found' && outcome.snapshot.deliveredAt).toBe(at);
  });
});

describe('batches', () => {
  it('answers per number in the requested order, whatever the order of FedEx results', () => {
    const outcomes = parse('mixed-found-not-found-invalid.json', ['576914547260866', '777473523571', '1Z999AA10123456784']);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['576914547260866', 'found'],
      ['777473523571', 'not_found'],
      ['1Z999AA10123456784', 'rejected'],
    ]);
    const [found, notFound, rejected] = outcomes;
    expect(found?.kind === 'found' && found.snapshot.status).toBe('delivered');
    expect(notFound?.kind === 'not_found' && notFound.message).toBe(
      'FedEx does not know this number: "Tracking number cannot be found. Please correct the tracking number and try again."',
    );
    expect(rejected?.kind === 'rejected' && rejected.error.code).toBe('TRACKING_NUMBER_INVALID');
    expect(rejected?.kind === 'rejected' && rejected.error.evidence).toEqual({ request: { method: 'POST', url: URL_ }, status: 200, body: withoutPersonalData(body('mixed-found-not-found-invalid.json')) });
  });

  it('accepts output.alerts as the one string of the OpenAPI example', () => {
    expect(parse('not-found-alerts-string.json', ['39936862321'])).toEqual([
      { trackingNumber: '39936862321', kind: 'not_found', message: 'FedEx does not know this number: "Tracking number cannot be found. Please correct the tracking number and try again."' },
    ]);
  });

  it('rejects a number FedEx refuses for another reason, alone, as a bad request', () => {
    const [outcome] = parse('not-unique-per-number-error.json', ['786721936420']);
    expect(outcome?.kind).toBe('rejected');
    expect(outcome?.kind === 'rejected' && outcome.error.code).toBe('CARRIER_BAD_REQUEST');
    expect(outcome?.kind === 'rejected' && outcome.error.message).toMatch(/^FedEx refused this number \(TRACKING\.DATA\.NOTUNIQUE\): "A unique match/);
  });

  it('picks the latest shipment of a reused number (the real duplicate sample: running late, then delivered)', () => {
    const [outcome] = parse('reused-number-two-shipments.json', ['776094337676']);
    expect(outcome?.kind === 'found' && outcome.snapshot).toMatchObject({ status: 'delivered', deliveredAt: '2024-04-26T09:26:00-07:00', isFinal: true });
  });
});

/** The completeTrackResult of `trackingNumber` in a payload, as FedEx sent it. */
function answerIn(file: string, trackingNumber: string): unknown {
  const { output } = JSON.parse(body(file)) as { output: { completeTrackResults: { trackingNumber: string }[] } };
  return output.completeTrackResults.find((complete) => complete.trackingNumber === trackingNumber);
}

describe('a number whose own answer cannot be read', () => {
  it.each<[string, string, string]>([
    ['wrong-shape.json', '753213064021', 'at trackResults.0.scanEvents: required in a result without error'],
    ['scan-date-without-offset.json', '792304804722', 'at trackResults.0.scanEvents.0.date: '],
    ['estimate-window-reversed.json', '765466507249', 'the estimated delivery ends before it starts'],
  ])('%s fails its number alone, with its own answer as evidence', (file, trackingNumber, detail) => {
    const [outcome] = parse(file, [trackingNumber]);
    if (outcome?.kind !== 'failed') throw new Error(`expected failed, got ${outcome?.kind}`);
    expect(outcome.error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(outcome.error.message).toContain(`FedEx answered HTTP 200 with a body that does not match its API: for ${trackingNumber}, ${detail}`);
    expect(outcome.error.evidence).toMatchObject({ request: { method: 'POST', url: URL_ }, status: 200 });
    expect(JSON.parse(outcome.error.evidence?.body ?? '')).toEqual(answerIn(file, trackingNumber));
  });

  it('leaves the other numbers of the call as they are: found, not found and refused', () => {
    const mixed = JSON.parse(body('mixed-found-not-found-invalid.json'));
    const reversed = JSON.parse(body('estimate-window-reversed.json'));
    mixed.output.completeTrackResults.push(...reversed.output.completeTrackResults);
    const numbers = ['576914547260866', '765466507249', '777473523571', '1Z999AA10123456784'];
    const outcomes = parseTrackResponse({ request: { method: 'POST', url: URL_ }, response: { status: 200, headers: {}, text: JSON.stringify(mixed) } }, numbers, NOW_MS);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['576914547260866', 'found'],
      ['765466507249', 'failed'],
      ['777473523571', 'not_found'],
      ['1Z999AA10123456784', 'rejected'],
    ]);
    const failed = outcomes[1];
    expect(failed?.kind === 'failed' && failed.error.message).toMatch(/for 765466507249, the estimated delivery ends before it starts$/);
    // Its evidence holds its own answer, not the parcels of the other numbers.
    expect(failed?.kind === 'failed' && failed.error.evidence?.body).not.toContain('576914547260866');
  });

  it('fails a number FedEx left out of its answer, with no body as evidence', () => {
    const [found, missing] = parse('label-created-OC.json', ['791157309435', '765554420242']);
    expect(found?.kind).toBe('found');
    expect(missing?.kind === 'failed' && missing.error.message).toMatch(/: for 765554420242, no completeTrackResult answers it$/);
    expect(missing?.kind === 'failed' && missing.error.evidence?.body).toBe('');
  });
});

// Each payload with the HTTP status it comes with (or another status it may come with).
describe('errors of the whole call', () => {
  it.each<[string, number, Record<string, string>, ErrorCode, RegExp]>([
    ['empty-number-400.json', 400, {}, 'CARRIER_BAD_REQUEST', /^FedEx refused the request \(HTTP 400 TRACKING\.TRACKINGNUMBER\.EMPTY\): "Please provide tracking number\."$/],
    ['limit-exceeded-400.json', 400, {}, 'CARRIER_BAD_REQUEST', /TRACKING\.TRACKINGNUMBERS\.LIMITEXCEEDED/],
    ['resource-not-found-404.json', 404, {}, 'CARRIER_BAD_REQUEST', /NOT\.FOUND\.ERROR.*check FEDEX_API_URL$/],
    ['expired-token-401.json', 401, {}, 'CARRIER_AUTH_REFUSED', /^FedEx refused the credentials \(HTTP 401 NOT\.AUTHORIZED\.ERROR\): check that the developer\.fedex\.com project of FEDEX_CLIENT_ID/],
    ['forbidden-403.json', 403, {}, 'CARRIER_AUTH_REFUSED', /HTTP 403 FORBIDDEN\.ERROR/],
    ['rate-limited-429.json', 429, { 'retry-after': '8' }, 'CARRIER_RATE_LIMITED', /retry in 8 s/],
    ['daily-quota-429.json', 429, {}, 'CARRIER_RATE_LIMITED', /daily transaction quota exceeded \(HTTP 429\), retry after 12:00AM GMT/],
    ['internal-error-500.json', 500, {}, 'CARRIER_UNAVAILABLE', /HTTP 500/],
    ['unavailable-503.json', 503, {}, 'CARRIER_UNAVAILABLE', /HTTP 503/],
    ['unavailable-503.json', 504, {}, 'CARRIER_TIMEOUT', /HTTP 504/],
  ])('%s (HTTP %i) -> %s', (file, status, headers, code, message) => {
    const error = errorOf(() => parse(file, ['791157309435'], status, headers));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.evidence).toEqual({ request: { method: 'POST', url: URL_ }, status, body: body(file) });
  });

  it('waits for the next midnight GMT after the daily quota, and for Retry-After otherwise', () => {
    expect(errorOf(() => parse('daily-quota-429.json', ['791157309435'], 429)).retryAfterMs).toBe(4 * 3600_000);
    expect(errorOf(() => parse('daily-quota-429.json', ['791157309435'], 429, { 'retry-after': '60' })).retryAfterMs).toBe(60_000);
    expect(errorOf(() => parse('rate-limited-429.json', ['791157309435'], 429, { 'retry-after': '8' })).retryAfterMs).toBe(8000);
  });

  it.each<[string, number, readonly string[], string]>([
    ['malformed-body.txt', 200, ['791157309435'], 'the body is not JSON'],
    ['empty-number-400.json', 200, ['791157309435'], 'at output: '],
    ['label-created-OC.json', 400, ['791157309435'], 'at errors: '],
    ['malformed-body.txt', 400, ['791157309435'], 'the body is not JSON'],
    ['label-created-OC.json', 302, ['791157309435'], 'Track v1 documents no such status'],
  ])('%s (HTTP %i) is a bad payload: %s', (file, status, numbers, detail) => {
    const error = errorOf(() => parse(file, numbers, status));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(`FedEx answered HTTP ${status} with a body that does not match its API: ${detail}`);
    expect(error.evidence).toEqual({ request: { method: 'POST', url: URL_ }, status, body: body(file) });
  });
});
