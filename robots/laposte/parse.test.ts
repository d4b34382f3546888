import { describe, expect, it } from 'vitest';
import { foundSnapshot } from '../../fixtures/testing/found-snapshot.ts';
import { payloadReader } from '../../fixtures/testing/payloads.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import type { Snapshot } from '../../src/domain/snapshot.ts';
import type { ErrorCode, TrackOutcome } from '../../src/robot-kit/index.ts';
import { parseIdshipsResponse } from './parse.ts';

const body = payloadReader('laposte');

/** The HTTP status of the payloads read with their recorded status; any other file comes with 200. */
const HTTP_STATUS: Record<string, number> = {
  'mixed-207.json': 207,
  'mixed-not-yet-available-207.json': 207,
  'mixed-undocumented-codes-207.json': 207,
  'invalid-number-400.json': 400,
  'not-found-404.json': 404,
  'not-yet-available-404.json': 404,
};

/** La Poste's wording of returnCode 104, from its OpenAPI's 404 example. */
const NOT_YET_AVAILABLE =
  "Votre suivi n'est pas encore disponible. Si vous avez déposé votre envoi, les informations de suivi peuvent être affichées avec un délai, veuillez réessayer ultérieurement.";

function parse(file: string, numbers: readonly string[], status = HTTP_STATUS[file] ?? 200): TrackOutcome[] {
  return parseIdshipsResponse(status, body(file), numbers);
}

/** Tracks the one number a single-shipment payload is about. */
function snapshotOf(file: string): Snapshot {
  const json = JSON.parse(body(file)) as { shipment: { idShip: string } } | { shipment: { idShip: string } }[];
  const number = (Array.isArray(json) ? json[0] : json)?.shipment.idShip ?? '';
  return foundSnapshot(parse(file, [number])[0], file);
}

describe('a found parcel', () => {
  it('reads a delivered Colissimo into a full snapshot', () => {
    const snapshot = snapshotOf('delivered.json');
    expect(snapshot).toEqual({
      trackingNumber: '6A21000000011',
      carrier: 'laposte',
      product: 'colissimo',
      status: 'delivered',
      isFinal: true,
      deliveredAt: '2024-03-13T11:47:00+01:00',
      estimatedDelivery: { from: '2024-03-13T00:00:00+01:00', to: '2024-03-13T23:59:59+01:00' },
      unmappedCodes: [],
      events: [
        { at: '2024-03-13T11:47:00+01:00', code: 'DI1', label: 'Votre colis est livré.', status: 'delivered', source: 'api', robot: 'laposte' },
        {
          at: '2024-03-13T07:58:00+01:00',
          code: 'MD2',
          label: 'Votre colis est dans le site de livraison qui dessert votre adresse. Nous le préparons pour le mettre en livraison.',
          status: 'out_for_delivery',
          source: 'api',
          robot: 'laposte',
        },
        { at: '2024-03-12T03:21:44+01:00', code: 'ET1', label: 'Votre colis est en transit sur nos plateformes logistiques.', status: 'in_transit', source: 'api', robot: 'laposte' },
        { at: '2024-03-11T16:02:00+01:00', code: 'PC1', label: 'Votre colis a été déposé dans un point postal.', status: 'picked_up', source: 'api', robot: 'laposte' },
        {
          at: '2024-03-11T09:15:31+01:00',
          code: 'DR1',
          label: 'Votre Colissimo va bientôt nous être confié ! Il est en cours de préparation chez votre expéditeur.',
          status: 'pending',
          reason: 'retailer_label_created',
          source: 'api',
          robot: 'laposte',
        },
      ],
    });
  });

  it('reads an array body (karrio\'s international delivery) like a bare object', () => {
    const snapshot = snapshotOf('delivered-international-array.json');
    expect(snapshot).toMatchObject({ trackingNumber: 'EW112720413FR', status: 'delivered', isFinal: true, deliveredAt: '2023-03-09T09:38:00+01:00' });
    expect(snapshot.events.map((event) => event.code)).toEqual(['DI1', 'MD2', 'ET1', 'ET3', 'ET2', 'ET1', 'ET1', 'PC1', 'DR1']);
  });

  it('keeps the in-transit debuss mock open (isFinal false, no deliveredAt)', () => {
    const snapshot = snapshotOf('in-transit-with-estimate.json');
    expect(snapshot).toMatchObject({ status: 'in_transit', isFinal: false, product: 'colissimo' });
    expect(snapshot.deliveredAt).toBeUndefined();
  });

  it('sorts events newest first when La Poste does not', () => {
    const snapshot = snapshotOf('events-out-of-order.json');
    expect(snapshot.events.map((event) => event.code)).toEqual(['MD2', 'ET1', 'PC1', 'DR1']);
    expect(snapshot.status).toBe('out_for_delivery');
  });

  it('is pending while La Poste knows the number but has no event', () => {
    expect(snapshotOf('no-events-yet.json')).toMatchObject({ status: 'pending', events: [], unmappedCodes: [], isFinal: false });
  });

  it('marks an unknown code unknown and lists each (code, label) once for review', () => {
    const snapshot = snapshotOf('unmapped-code.json');
    expect(snapshot.status).toBe('unknown');
    expect(snapshot.reason).toBeUndefined();
    expect(snapshot.events.slice(0, 3).map((event) => [event.code, event.status])).toEqual([
      ['QX1', 'unknown'],
      ['QX1', 'unknown'],
      ['ET1', 'in_transit'],
    ]);
    expect(snapshot.unmappedCodes).toEqual([{ code: 'QX1', label: 'Votre colis fait l’objet d’un traitement particulier.' }]);
  });
});

describe('the status is the newest event\'s', () => {
  // Every code of carrier-apis.md 2.5 (and the third-party DI0, DI3, AN1) as the newest event of a payload.
  it.each([
    ['event-DR1-label-created.json', 'DR1', 'pending', 'retailer_label_created'],
    ['event-PC1-picked-up.json', 'PC1', 'picked_up', undefined],
    ['event-PC2-picked-up-abroad.json', 'PC2', 'picked_up', undefined],
    ['in-transit-with-estimate.json', 'ET1', 'in_transit', undefined],
    ['event-ET2-processing-origin-country.json', 'ET2', 'in_transit', undefined],
    ['event-ET3-arrived-destination-country.json', 'ET3', 'in_transit', undefined],
    ['event-ET4-transit-country.json', 'ET4', 'in_transit', undefined],
    ['event-EP1-awaiting-presentation.json', 'EP1', 'in_transit', undefined],
    ['event-DO1-customs-entry.json', 'DO1', 'in_transit', undefined],
    ['event-DO2-customs-exit.json', 'DO2', 'in_transit', undefined],
    ['event-DO3-held-in-customs.json', 'DO3', 'on_hold', 'customs_delay'],
    ['event-PB1-problem.json', 'PB1', 'delivery_delayed', 'carrier_incident'],
    ['event-PB2-problem-solved.json', 'PB2', 'in_transit', undefined],
    ['event-MD2-out-for-delivery.json', 'MD2', 'out_for_delivery', undefined],
    ['event-ND1-undeliverable.json', 'ND1', 'delivery_failed', undefined],
    ['event-AG1-awaiting-pickup.json', 'AG1', 'ready_for_pickup', undefined],
    ['event-RE1-returning-to-sender.json', 'RE1', 'return_to_sender', undefined],
    ['delivered.json', 'DI1', 'delivered', undefined],
    ['event-DI2-returned-to-sender.json', 'DI2', 'return_to_sender', 'carrier_returned_to_sender'],
    ['event-DI0-delivered-third-party-code.json', 'DI0', 'delivered', undefined],
    ['event-DI3-delivery-problem-third-party-code.json', 'DI3', 'delivery_failed', undefined],
    ['event-AN1-address-not-found-third-party-code.json', 'AN1', 'delivery_failed', 'carrier_address_not_found'],
  ])('%s: newest %s -> %s (%s)', (file, code, status, reason) => {
    const snapshot = snapshotOf(file);
    expect(snapshot.events[0]).toMatchObject({ code, status });
    expect(snapshot.events[0]?.reason).toBe(reason);
    expect(snapshot.status).toBe(status);
    expect(snapshot.reason).toBe(reason);
    expect(snapshot.unmappedCodes).toEqual([]);
  });
});

describe('dates', () => {
  it.each([
    ['in-transit-with-estimate.json', { from: '2023-01-27T00:00:00+01:00', to: '2023-01-27T23:59:59+01:00' }],
    ['event-MD2-out-for-delivery.json', { from: '2024-03-14T09:00:00+01:00', to: '2024-03-14T13:00:00+01:00' }],
    ['delivered-international-array.json', { from: '2023-03-09T00:00:00+01:00', to: '2023-03-09T23:59:59+01:00' }],
    ['event-PC1-picked-up.json', undefined],
  ])('%s: estimated delivery %j', (file, window) => {
    expect(snapshotOf(file).estimatedDelivery).toEqual(window);
  });

  it.each([
    ['delivered.json', '2024-03-13T11:47:00+01:00'], // shipment.deliveryDate
    ['delivered-timeline-date-only.json', '2024-03-14T15:05:00+01:00'], // timeline step 5, newest event DI1
    ['event-DI0-delivered-third-party-code.json', '2024-03-13T11:02:00+01:00'], // timeline step 5, newest event DI0
    ['event-DI2-returned-to-sender.json', undefined], // its deliveryDate is the return's, not a delivery to the customer
    ['event-MD2-out-for-delivery.json', undefined],
    ['event-AG1-awaiting-pickup.json', undefined],
  ])('%s: delivered at %s', (file, at) => {
    expect(snapshotOf(file).deliveredAt).toBe(at);
  });
});

describe('batches', () => {
  it('answers a 207 per number, in the requested order, whatever the order of the items', () => {
    const outcomes = parse('mixed-207.json', ['6A2100000003X', '6A21000000036', '6A21000000037']);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      ['6A2100000003X', 'rejected'],
      ['6A21000000036', 'found'],
      ['6A21000000037', 'not_found'],
    ]);
    const [rejected, found, notFound] = outcomes;
    expect(rejected?.kind === 'rejected' && rejected.error.code).toBe('TRACKING_NUMBER_INVALID');
    expect(found?.kind === 'found' && found.snapshot.status).toBe('in_transit');
    expect(notFound?.kind === 'not_found' && notFound.message).toBe('La Poste does not know this number: "Not Found"');
  });

  it('matches numbers to items whatever their case', () => {
    const [outcome] = parse('delivered.json', ['6a21000000011']);
    expect(outcome).toMatchObject({ trackingNumber: '6a21000000011', kind: 'found', snapshot: { status: 'delivered' } });
  });

  it('reads a whole-call 404 as "not found" for every requested number', () => {
    expect(parse('not-found-404.json', ['6A21000000098', '6A21000000099'])).toEqual([
      { trackingNumber: '6A21000000098', kind: 'not_found', message: 'La Poste does not know this number: "Not Found"' },
      { trackingNumber: '6A21000000099', kind: 'not_found', message: 'La Poste does not know this number: "Not Found"' },
    ]);
  });

  it('reads a whole-call 400 naming the number as that number rejected', () => {
    const [outcome] = parse('invalid-number-400.json', ['WBZQ1234567XX']);
    expect(outcome?.kind).toBe('rejected');
    const error = outcome?.kind === 'rejected' ? outcome.error : undefined;
    expect(error?.code).toBe('TRACKING_NUMBER_INVALID');
    expect(error?.message).toContain('n’est pas valide');
    expect(error?.evidence).toEqual({ status: 400, body: body('invalid-number-400.json') });
  });
});

// The per-number returnCode values of La Poste's OpenAPI (101, 104, 105, 109, 200, 201, 208, 504)
// and the recorded 400 / 404: one number's code never decides for the others.
describe('returnCode per number', () => {
  const undocumented = (code: number, message: string) =>
    `La Poste answered returnCode ${code} for this number, a code Suivi v2 gives no meaning for: read as not found, so it is checked again later. La Poste's message: "${message}"`;

  it('reads 104 (tracking not yet available), alone as an HTTP 404, as "not found" with La Poste\'s message', () => {
    expect(parse('not-yet-available-404.json', ['6S00993561113'])).toEqual([
      { trackingNumber: '6S00993561113', kind: 'not_found', message: `La Poste does not know this number: "${NOT_YET_AVAILABLE}"` },
    ]);
  });

  it('reads a 104 inside a 207 for its number only, keeping the parcel found next to it', () => {
    const [found, notYet] = parse('mixed-not-yet-available-207.json', ['6A21000000036', '6A21000000037']);
    expect(found).toMatchObject({ trackingNumber: '6A21000000036', kind: 'found', snapshot: { status: 'in_transit' } });
    expect(notYet).toEqual({ trackingNumber: '6A21000000037', kind: 'not_found', message: `La Poste does not know this number: "${NOT_YET_AVAILABLE}"` });
  });

  it('reads a 20x without a published meaning (208) as found, and 101, 105, 109, 504 as "not found" naming the code', () => {
    const numbers = ['6A21000000036', '6A21000000041', '6A21000000042', '6A21000000043', '6A21000000044'];
    const [found, ...others] = parse('mixed-undocumented-codes-207.json', numbers);
    expect(found).toMatchObject({ trackingNumber: '6A21000000036', kind: 'found', snapshot: { status: 'in_transit' } });
    expect(others).toEqual([
      { trackingNumber: '6A21000000041', kind: 'not_found', message: undocumented(101, "Message d'exemple : La Poste ne publie pas le sens du code 101.") },
      { trackingNumber: '6A21000000042', kind: 'not_found', message: undocumented(105, "Message d'exemple : La Poste ne publie pas le sens du code 105.") },
      { trackingNumber: '6A21000000043', kind: 'not_found', message: undocumented(109, "Message d'exemple : La Poste ne publie pas le sens du code 109.") },
      { trackingNumber: '6A21000000044', kind: 'not_found', message: undocumented(504, 'Gateway Timeout') },
    ]);
  });

  it('reads a code answering the whole call without an idShip (104, or one never seen) for every number asked', () => {
    const numbers = ['6A21000000098', '6A21000000099'];
    const answer = (returnCode: number, returnMessage: string) =>
      parseIdshipsResponse(404, JSON.stringify({ returnCode, returnMessage, lang: 'fr_FR', scope: 'open' }), numbers);
    expect(answer(104, NOT_YET_AVAILABLE).map((outcome) => outcome.kind)).toEqual(['not_found', 'not_found']);
    expect(answer(999, 'Erreur')).toEqual(numbers.map((trackingNumber) => ({ trackingNumber, kind: 'not_found', message: undocumented(999, 'Erreur') })));
  });
});

describe('a number whose own item cannot be read', () => {
  it.each<[string, string, string]>([
    ['wrong-shape.json', '6A21000000038', 'at 0.shipment.event: '],
    ['estimate-window-reversed.json', '6A21000000013', 'the estimated delivery ends before it starts'],
  ])('%s fails its number alone, with its own item as evidence', (file, trackingNumber, detail) => {
    const [outcome] = parse(file, [trackingNumber]);
    if (outcome?.kind !== 'failed') throw new Error(`expected failed, got ${outcome?.kind}`);
    expect(outcome.error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(outcome.error.message).toContain(`La Poste answered HTTP 200 with a body that does not match Suivi v2: for ${trackingNumber}, ${detail}`);
    expect(outcome.error.evidence?.status).toBe(200);
    expect(JSON.parse(outcome.error.evidence?.body ?? '')).toEqual(JSON.parse(body(file)));
  });

  it('leaves the other numbers of the call as they are', () => {
    const items = [JSON.parse(body('delivered.json')), JSON.parse(body('estimate-window-reversed.json'))];
    const numbers = items.map((item) => item.shipment.idShip as string);
    const outcomes = parseIdshipsResponse(207, JSON.stringify(items), numbers);
    expect(outcomes.map((outcome) => [outcome.trackingNumber, outcome.kind])).toEqual([
      [numbers[0], 'found'],
      [numbers[1], 'failed'],
    ]);
    const failed = outcomes[1];
    expect(failed?.kind === 'failed' && failed.error.message).toMatch(new RegExp(`for ${numbers[1]}, the estimated delivery ends before it starts$`));
    expect(failed?.kind === 'failed' && failed.error.evidence?.body).not.toContain(numbers[0]!);
  });

  it.each<[string, readonly string[], string]>([
    ['mixed-207.json', ['6A21000000036', '6A21000000037', '6A2100000003X', '6A21000000099'], '6A21000000099'],
    ['delivered.json', ['6A21000000099'], '6A21000000099'],
    ['invalid-number-400.json', ['6A21000000099'], '6A21000000099'],
  ])('%s: fails a number La Poste left out of its answer, with no body as evidence', (file, numbers, missing) => {
    const outcome = parse(file, numbers).find((each) => each.trackingNumber === missing);
    expect(outcome?.kind === 'failed' && outcome.error.message).toMatch(new RegExp(`: for ${missing}, no item answers it$`));
    expect(outcome?.kind === 'failed' && outcome.error.evidence).toEqual({ status: HTTP_STATUS[file] ?? 200 });
  });
});

// Each payload with the HTTP status it comes with (or another status it may come with).
describe('errors of the whole call', () => {
  it.each<[string, number, readonly string[], ErrorCode]>([
    ['malformed-request-400.json', 400, ['6A21000000011'], 'CARRIER_BAD_REQUEST'],
    ['unauthorized-401.json', 401, ['6A21000000011'], 'CARRIER_AUTH_REFUSED'],
    ['unauthorized-401-returncode.json', 401, ['6A21000000011'], 'CARRIER_AUTH_REFUSED'],
    ['unauthorized-401.json', 403, ['6A21000000011'], 'CARRIER_AUTH_REFUSED'],
    ['rate-limited-429.json', 429, ['6A21000000011'], 'CARRIER_RATE_LIMITED'],
    ['internal-error-500.json', 500, ['6A21000000011'], 'CARRIER_UNAVAILABLE'],
    ['unavailable-503.json', 503, ['6A21000000011'], 'CARRIER_UNAVAILABLE'],
    ['gateway-timeout-504.json', 504, ['6A21000000011'], 'CARRIER_TIMEOUT'],
    ['gateway-timeout-504.json', 408, ['6A21000000011'], 'CARRIER_TIMEOUT'],
  ])('%s (HTTP %i) -> %s', (file, status, numbers, code) => {
    const error = errorOf(() => parse(file, numbers, status));
    expect(error.code).toBe(code);
    expect(error.evidence?.body).toBe(body(file));
  });

  it.each<[string, number, readonly string[], string]>([
    ['malformed-body.txt', 200, ['6A21000000011'], 'the body is not JSON'],
    ['mixed-207-item-without-idship.json', 207, ['6A21000000036'], 'an item of a several-item answer has no idShip'],
    ['delivered.json', 302, ['6A21000000011'], 'Suivi v2 documents no such status'],
    ['unauthorized-401.json', 404, ['6A21000000011'], 'at 0.returnCode: '],
  ])('%s (HTTP %i) is a bad payload: %s', (file, status, numbers, detail) => {
    const error = errorOf(() => parse(file, numbers, status));
    expect(error.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(error.message).toContain(`La Poste answered HTTP ${status} with a body that does not match Suivi v2: ${detail}`);
    expect(error.evidence).toEqual({ status, body: body(file) });
  });
});
