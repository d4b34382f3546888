import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor as dhlNumber } from '../../fixtures/dhl/testing.ts';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { decisionOf } from '../../fixtures/testing/follow-ups.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Verdict } from '../domain/verdict.ts';
import { keyFingerprint } from './api-keys.ts';
import { type ApiWorld, TEST_KEYS, startApiWorld } from './testing/api-world.ts';

const IN_TRANSIT = numberFor('in-transit');
const DELIVERED = numberFor('delivered');
const LATE = numberFor('in-transit-late');
const DHL = dhlNumber('in-transit');

/** Verdicts by number, stored as the judge stores them after a check (src/jobs/judge-shipments.ts). */
const VERDICT_OF: Record<string, Verdict> = { [IN_TRANSIT]: 'on_time', [DELIVERED]: 'delivered_on_time', [LATE]: 'late', [DHL]: 'at_risk' };

const rows = [
  { tracking_number: IN_TRANSIT, carrier: 'laposte', order_ref: 'CMD-3001', channel: 'web', customer_email: 'Camille.Martin@example.com', customer_lang: 'en', declared_value: '49,90', promised_date: '2026-03-11' },
  { tracking_number: DELIVERED, carrier: 'laposte', order_ref: 'CMD-3002', channel: 'amazon:fr', promised_date: '2026-03-09' },
  { tracking_number: LATE, carrier: 'laposte', order_ref: 'CMD-3003', channel: 'web', promised_date: '2026-03-05' },
  { tracking_number: DHL, carrier: 'dhl', order_ref: 'CMD-3004', channel: 'web', promised_date: '2026-03-12' },
];

describe('shipments over the API', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '40' } });
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

  it('lists newest first with filters, by stored verdict too, and pages through with the cursor', async () => {
    const store = await world.app.store();
    const judged = (await store.shipments.list()).filter((shipment) => shipment.trackingNumber !== DHL);
    await store.shipments.recordVerdicts(judged.map((shipment) => ({ id: shipment.id, verdict: VERDICT_OF[shipment.trackingNumber] ?? 'unknown', reasons: [] })), world.clock.now());
    const numbers = async (query: string) => (await get(`/api/shipments?${query}`)).json().items.map((item: { trackingNumber: string }) => item.trackingNumber);
    expect(await numbers('')).toEqual([DHL, LATE, DELIVERED, IN_TRANSIT]);
    expect(await numbers('carrier=dhl')).toEqual([DHL]);
    expect(await numbers('channel=amazon:fr')).toEqual([DELIVERED]);
    expect(await numbers('q=camille.martin@EXAMPLE.com')).toEqual([IN_TRANSIT]);
    expect(await numbers('q=CMD-3003')).toEqual([LATE]);
    expect(await numbers(`q=${IN_TRANSIT.slice(0, 8).toLowerCase()}`)).toEqual([IN_TRANSIT]);
    expect(await numbers('promisedFrom=2026-03-09&promisedTo=2026-03-11')).toEqual([DELIVERED, IN_TRANSIT]);
    expect(await numbers('verdict=late,at_risk')).toEqual([LATE]);
    expect(await numbers('verdict=on_time&verdict=delivered_on_time')).toEqual([DELIVERED, IN_TRANSIT]);
    expect((await get('/api/shipments?verdict=tardy')).json()).toMatchObject({ status: 400, errors: [{ field: 'query.verdict.0', message: expect.stringMatching(/^expected verdicts: on_time, at_risk, late/) }] });
    const first = (await get('/api/shipments?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const rest = (await get(`/api/shipments?limit=3&before=${first.nextCursor}`)).json();
    expect(rest).toMatchObject({ items: [{ trackingNumber: IN_TRANSIT, verdict: 'on_time', verdictAt: world.clock.now().toISOString() }], nextCursor: null });
    expect(first.items[0]).not.toHaveProperty('verdict');
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

  it('gives a whole case: timeline, verdict and why, promise, answer in the customer language, freshness, contacts, follow-ups with their audit trail, claims, documents and evidence', async () => {
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
    const shipment = await store.shipments.find('laposte', IN_TRANSIT);
    if (!shipment) throw new Error('the shipment was not stored');
    await store.shipments.recordVerdicts([{ id: shipment.id, verdict: 'at_risk', reasons: ['The carrier reports a problem (delivery_failed).'] }], checkedAt);
    const reship = (await world.app.followUps.propose(shipment, decisionOf('reshipment'))).followUp;
    const claim = (await world.app.followUps.propose(shipment, decisionOf('carrier_claim', { params: { type: 'late' } }))).followUp;
    expect((await world.server.inject({ method: 'POST', url: `/api/followups/${reship.id}/approve`, headers: world.bearer('manager') })).statusCode).toBe(200);
    const pack = await store.documents.save({ followUpId: claim.id, shipmentId: shipment.id, fileName: 'evidence-pack.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7\n') }, checkedAt);
    await store.claims.record({ followUpId: claim.id, shipmentId: shipment.id, carrier: 'laposte', trackingNumber: IN_TRANSIT, type: 'late', filedVia: 'agent', status: 'to_file', evidenceDocumentId: String(pack) }, checkedAt);

    const detail = (await get(`/api/shipments/${shipment.id}`)).json();
    expect(detail.shipment).toMatchObject({ trackingNumber: IN_TRANSIT, status: 'in_transit', verdict: 'at_risk', declaredValue: 49.9, customerLang: 'en' });
    expect(detail.verdict).toEqual({ verdict: 'at_risk', reasons: ['The carrier reports a problem (delivery_failed).'], judgedAt: checkedAt.toISOString() });
    expect(detail.timeline.map((event: { code: string }) => event.code)).toEqual(['ET1', 'PC1']);
    expect(detail.promise).toEqual({ promised: { from: '2026-03-11', to: '2026-03-11' }, estimated: { from: '2026-03-10T23:00:00.000Z', to: '2026-03-11T22:59:59.000Z' } });
    expect(detail.answer).toMatchObject({ lang: 'en', text: expect.stringContaining('on its way'), fr: expect.stringContaining("en cours d'acheminement") });
    // The world's clock reads 08:00Z: the carrier was read half an hour before.
    expect(detail.freshness).toEqual({ checkedAt: '2026-03-10T07:30:00.000Z', ageSeconds: 1800 });
    expect(detail.contacts).toMatchObject({ count: 2, lookups: [{ requestedBy: expect.any(String) }, { requestedBy: expect.any(String) }] });
    expect(detail.followUps.map(({ id, state }: { id: string; state: string }) => ({ id, state })).sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: reship.id, state: 'proposed' },
        { id: claim.id, state: 'awaiting_approval' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const trail = detail.followUps.find((followUp: { id: string }) => followUp.id === reship.id).audit;
    expect(trail.at(-1)).toMatchObject({ actor: `manager:${keyFingerprint(TEST_KEYS.manager)}`, event: 'approved', fromState: 'awaiting_approval', toState: 'proposed' });
    expect(detail.documents).toEqual([{ id: pack, followUpId: claim.id, shipmentId: shipment.id, fileName: 'evidence-pack.pdf', contentType: 'application/pdf', size: 9, createdAt: checkedAt.toISOString() }]);
    expect(detail.claims).toEqual([expect.objectContaining({ followUpId: claim.id, type: 'late', status: 'to_file', filedVia: 'agent', evidenceDocumentId: String(pack) })]);
    expect(detail.evidence).toEqual([expect.objectContaining({ code: 'CARRIER_UNAVAILABLE', evidence: { status: 503, body: '{}' } })]);
  });

  it("stores the verdict of a real look-up, as the agent's answer gives it, with its reasons", { timeout: 30_000 }, async () => {
    const id = (await world.app.store().then((store) => store.shipments.find('dhl', DHL)))?.id;
    expect((await get(`/api/shipments/${id}`)).json().verdict).toBeNull();
    const workers = world.app.startWorkers(['dhl'], 1);
    await Promise.all(workers.workers.map((worker) => worker.waitUntilReady()));
    try {
      const lookup = await world.server.inject({ method: 'POST', url: '/api/lookups?wait=20', headers: world.bearer('agent'), payload: { trackingNumber: DHL } });
      const answered = lookup.json().lookups[0].answer.verdict;
      expect(answered.reasons.length).toBeGreaterThan(0);
      const detail = (await get(`/api/shipments/${id}`)).json();
      expect(detail.verdict).toEqual({ verdict: answered.verdict, reasons: answered.reasons, judgedAt: world.clock.now().toISOString() });
      expect((await get(`/api/shipments?verdict=${answered.verdict}&carrier=dhl`)).json().items.map((item: { id: number }) => item.id)).toEqual([id]);
    } finally {
      await workers.close();
    }
  });

  it('answers 404 for a shipment it does not have', async () => {
    expect((await get('/api/shipments/999999')).statusCode).toBe(404);
  });
});

describe('documents over the API', () => {
  let world: ApiWorld;
  let shipmentId = 0;
  beforeAll(async () => {
    world = await startApiWorld();
    const store = await world.app.store();
    await store.shipments.upsertMany([{ trackingNumber: IN_TRANSIT, carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' }], world.clock.now());
    shipmentId = (await store.shipments.find('laposte', IN_TRANSIT))?.id ?? 0;
  });
  afterAll(async () => world?.close());

  const save = async (fileName: string, contentType: string, content: Buffer) => (await world.app.store()).documents.save({ shipmentId, fileName, contentType, content }, world.clock.now());
  const download = (id: number, role: 'agent' | 'manager' = 'manager') => world.server.inject({ method: 'GET', url: `/api/documents/${id}`, headers: world.bearer(role) });

  it('sends a document byte for byte with its stored content type, as an attachment, to managers only', async () => {
    const label = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0xff, 0x0a]);
    const id = await save('return-label-6A123.pdf', 'application/pdf', label);
    const response = await download(id);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="return-label-6A123.pdf"; filename*=UTF-8''return-label-6A123.pdf`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.rawPayload.equals(label)).toBe(true);
    expect((await download(id, 'agent')).statusCode).toBe(403);
    expect((await download(id + 1000)).json()).toMatchObject({ status: 404, detail: `no document ${id + 1000}` });
  });

  it('never lets a stored file name or content type write a header of its own', async () => {
    const id = await save('étiquette "retour"\r\nSet-Cookie: x=1.pdf', 'text/plain\r\nSet-Cookie: y=2', Buffer.from('label'));
    const response = await download(id);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_tiquette _retour___Set-Cookie: x=1.pdf"; filename*=UTF-8''%C3%A9tiquette%20%22retour%22%0D%0ASet-Cookie%3A%20x%3D1.pdf`,
    );
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
