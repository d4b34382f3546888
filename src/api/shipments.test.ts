import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor as dhlNumber } from '../../fixtures/dhl/testing.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Verdict } from '../domain/verdict.ts';
import { buildServer } from './build-server.ts';
import { type ApiWorld, startApiWorld } from './testing/api-world.ts';
import { InMemoryFollowUps } from './testing/in-memory-follow-ups.ts';

const IN_TRANSIT = numberFor('in-transit');
const DELIVERED = numberFor('delivered');
const LATE = numberFor('in-transit-late');
const DHL = dhlNumber('in-transit');

/** Verdicts by number: the promise service's stand-in for these tests (its own tests are its own). */
const VERDICT_OF: Record<string, Verdict> = { [IN_TRANSIT]: 'on_time', [DELIVERED]: 'delivered_on_time', [LATE]: 'late', [DHL]: 'at_risk' };

const rows = [
  { tracking_number: IN_TRANSIT, carrier: 'laposte', order_ref: 'CMD-3001', channel: 'web', customer_email: 'Camille.Martin@example.com', customer_lang: 'en', declared_value: '49,90', promised_date: '2026-03-11' },
  { tracking_number: DELIVERED, carrier: 'laposte', order_ref: 'CMD-3002', channel: 'amazon:fr', promised_date: '2026-03-09' },
  { tracking_number: LATE, carrier: 'laposte', order_ref: 'CMD-3003', channel: 'web', promised_date: '2026-03-05' },
  { tracking_number: DHL, carrier: 'dhl', order_ref: 'CMD-3004', channel: 'web', promised_date: '2026-03-12' },
];

describe('shipments over the API', () => {
  let world: ApiWorld;
  const followUps = new InMemoryFollowUps();
  beforeAll(async () => {
    world = await startApiWorld({ ports: { followUps, verdicts: { verdictOf: (shipment) => VERDICT_OF[shipment.trackingNumber] ?? 'unknown' } } });
  });
  afterAll(async () => world?.close());

  const get = (url: string) => world.server.inject({ method: 'GET', url, headers: world.bearer('agent') });
  const importRows = (payload: unknown) => world.server.inject({ method: 'POST', url: '/api/shipments', headers: world.bearer('manager'), payload: payload as object });

  it('imports rows with the rules of parcelbot import: the good ones stored, each bad one with its index and reason', async () => {
    const response = await importRows({
      shipments: [...rows.slice(0, 3), { tracking_number: '6A1', carrier: 'laposte' }, { tracking_number: DHL, carrier: 'pigeon' }, { ...rows[0], order_ref: 'CMD-dup' }],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      rows: 6,
      inserted: 3,
      updated: 0,
      problems: [
        { index: 3, field: 'tracking_number', message: expect.any(String) },
        { index: 4, field: 'carrier', message: expect.stringMatching(/^unknown carrier "pigeon"/) },
        { index: 5, field: 'tracking_number', message: 'duplicate of line 0 (same carrier and tracking number)' },
      ],
    });
  });

  it('refuses the whole request with strict when a row is bad, naming each bad field, and stores nothing', async () => {
    const response = await importRows({ strict: true, shipments: [rows[3], { tracking_number: DHL, carrier: 'laposte', customer_email: 'not-an-address' }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: '/problems/import-refused', errors: [{ field: 'shipments.1.customer_email', message: expect.stringMatching(/e-mail/) }] });
    expect((await get(`/api/shipments?q=${DHL}`)).json().items).toEqual([]);
    expect((await importRows({ shipments: [rows[3]] })).json()).toMatchObject({ inserted: 1, problems: [] });
  });

  it('lists newest first with filters and pages through with the cursor', async () => {
    const numbers = async (query: string) => (await get(`/api/shipments?${query}`)).json().items.map((item: { trackingNumber: string }) => item.trackingNumber);
    expect(await numbers('')).toEqual([DHL, LATE, DELIVERED, IN_TRANSIT]);
    expect(await numbers('carrier=dhl')).toEqual([DHL]);
    expect(await numbers('channel=amazon:fr')).toEqual([DELIVERED]);
    expect(await numbers('q=camille.martin@EXAMPLE.com')).toEqual([IN_TRANSIT]);
    expect(await numbers('q=CMD-3003')).toEqual([LATE]);
    expect(await numbers(`q=${IN_TRANSIT.slice(0, 8).toLowerCase()}`)).toEqual([IN_TRANSIT]);
    expect(await numbers('promisedFrom=2026-03-09&promisedTo=2026-03-11')).toEqual([DELIVERED, IN_TRANSIT]);
    expect(await numbers('verdict=late,at_risk')).toEqual([DHL, LATE]);
    const first = (await get('/api/shipments?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const rest = (await get(`/api/shipments?limit=3&before=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ items: [{ trackingNumber: IN_TRANSIT, verdict: 'on_time' }], nextCursor: null });
  });

  it('filters by status and by import date once robots have read the parcels', async () => {
    const store = await world.app.store();
    const snapshot: Snapshot = {
      trackingNumber: DELIVERED,
      carrier: 'laposte',
      status: 'delivered',
      isFinal: true,
      deliveredAt: '2026-03-09T11:00:00+01:00',
      events: [{ at: '2026-03-09T11:00:00+01:00', code: 'DI1', label: 'Votre colis est livré', status: 'delivered', source: 'api', robot: 'laposte' }],
      unmappedCodes: [],
    };
    await store.tracking.recordSnapshot(snapshot, world.clock.now());
    const items = (await get('/api/shipments?status=delivered,lost')).json().items;
    expect(items.map((item: { trackingNumber: string }) => item.trackingNumber)).toEqual([DELIVERED]);
    expect((await get('/api/shipments?createdFrom=2026-03-11')).json().items).toEqual([]);
    expect((await get('/api/shipments?createdTo=2026-03-11T00:00:00%2B01:00')).json().items).toHaveLength(4);
  });

  it('gives a whole case: timeline, verdict, promise, answer in the customer language, freshness, contacts, follow-ups and evidence', async () => {
    const store = await world.app.store();
    const checkedAt = new Date('2026-03-10T07:30:00Z');
    await store.tracking.recordSnapshot(
      {
        trackingNumber: IN_TRANSIT,
        carrier: 'laposte',
        status: 'in_transit',
        isFinal: false,
        estimatedDelivery: { from: '2026-03-11T00:00:00+01:00', to: '2026-03-11T23:59:59+01:00' },
        events: [
          { at: '2026-03-10T06:00:00+01:00', code: 'ET1', label: 'En transit', status: 'in_transit', source: 'api', robot: 'laposte' },
          { at: '2026-03-09T17:00:00+01:00', code: 'PC1', label: 'Pris en charge', status: 'picked_up', source: 'api', robot: 'laposte' },
        ],
        unmappedCodes: [],
      },
      checkedAt,
    );
    for (const [index, agent] of ['alice', 'bob'].entries()) {
      await store.lookups.start({ jobId: `lookup-${index}`, trackingNumber: IN_TRANSIT, carrier: 'laposte', requestedBy: agent, requestedAt: checkedAt });
    }
    await store.exceptions.open({ carrier: 'laposte', trackingNumber: IN_TRANSIT, code: 'CARRIER_UNAVAILABLE', message: 'La Poste answered 503', evidence: { status: 503, body: '{}' }, jobId: 'sweep-x-0', openedAt: checkedAt });
    const [shipment] = (await get(`/api/shipments?q=${IN_TRANSIT}`)).json().items;
    followUps.add({ id: 'fu-1', shipmentId: shipment.id, kind: 'customer_email', state: 'done', ruleId: 'notify-delay', reason: 'test', params: {}, dueAt: '2026-03-10T08:00:00Z', createdAt: '2026-03-10T07:00:00Z' });

    const detail = (await get(`/api/shipments/${shipment.id}`)).json();
    expect(detail.shipment).toMatchObject({ trackingNumber: IN_TRANSIT, status: 'in_transit', verdict: 'on_time', declaredValue: 49.9, customerLang: 'en' });
    expect(detail.timeline.map((event: { code: string }) => event.code)).toEqual(['ET1', 'PC1']);
    expect(detail.promise).toEqual({ promised: { from: '2026-03-11', to: '2026-03-11' }, estimated: { from: '2026-03-10T23:00:00.000Z', to: '2026-03-11T22:59:59.000Z' } });
    expect(detail.answer).toMatchObject({ lang: 'en', text: expect.stringContaining('on its way'), fr: expect.stringContaining("en cours d'acheminement") });
    // The world's clock reads 08:00Z: the carrier was read half an hour before.
    expect(detail.freshness).toEqual({ checkedAt: '2026-03-10T07:30:00.000Z', ageSeconds: 1800 });
    expect(detail.contacts).toMatchObject({ count: 2, lookups: [{ requestedBy: expect.any(String) }, { requestedBy: expect.any(String) }] });
    expect(detail.followUps).toEqual([expect.objectContaining({ id: 'fu-1', kind: 'customer_email' })]);
    expect(detail.evidence).toEqual([expect.objectContaining({ code: 'CARRIER_UNAVAILABLE', evidence: { status: 503, body: '{}' } })]);
  });

  it('answers 404 for a shipment it does not have, and 501 for a verdict filter when verdicts are not wired', async () => {
    expect((await get('/api/shipments/999999')).statusCode).toBe(404);
    const bare = await buildServer({ app: world.app });
    try {
      const response = await bare.inject({ method: 'GET', url: '/api/shipments?verdict=late', headers: world.bearer('agent') });
      expect(response.statusCode).toBe(501);
      expect(response.json()).toMatchObject({ type: '/problems/verdicts-unavailable' });
      expect((await bare.inject({ method: 'GET', url: '/api/shipments', headers: world.bearer('agent') })).json().items[0].verdict).toBeNull();
    } finally {
      await bare.close();
    }
  });
});
