import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewFollowUp } from './follow-up-repository.ts';
import { type Store, createStore } from './store.ts';
import { type TestDatabase, openTestDatabase } from './test-database.ts';

const NOW = new Date('2026-03-10T09:00:00Z');
const LATER = new Date('2026-03-10T10:00:00Z');

describe('follow-up store', () => {
  let db: TestDatabase;
  let store: Store;
  let followUp: NewFollowUp;
  beforeEach(async () => {
    db = await openTestDatabase();
    store = createStore(db);
    await store.shipments.upsertMany([{ trackingNumber: '6A12345678901', carrier: 'laposte', orderRef: 'WEB-1', customerLang: 'fr', destinationCountry: 'FR', declaredValue: 40, currency: 'EUR' }], NOW);
    const shipment = await store.shipments.find('laposte', '6A12345678901');
    followUp = { id: 'fu-1-refund-0123456789abcdef', shipmentId: shipment!.id, kind: 'refund', state: 'awaiting_approval', ruleId: 'r1', params: { amount: 40 }, reason: 'lost', dueAt: NOW.toISOString(), valueAtStake: 40, currency: 'EUR', approvalRequired: true };
  });
  afterEach(async () => db.drop());

  const audit = { proposed: { actor: 'rule:r1', event: 'proposed' }, policy: { actor: 'system', event: 'approval_requested' } } as const;

  it('creates a follow-up once, with its first two audit rows', async () => {
    expect((await store.followUps.create(followUp, audit, NOW)).created).toBe(true);
    const again = await store.followUps.create({ ...followUp, reason: 'another sentence' }, audit, LATER);
    expect(again).toMatchObject({ created: false, followUp: { reason: 'lost', state: 'awaiting_approval', createdAt: NOW.toISOString() } });
    expect((await store.followUps.audit(followUp.id)).map(({ event, fromState, toState }) => [event, fromState, toState])).toEqual([
      ['proposed', undefined, 'proposed'],
      ['approval_requested', 'proposed', 'awaiting_approval'],
    ]);
  });

  it('moves a follow-up only from the states given: two callers cannot both win', async () => {
    await store.followUps.create(followUp, audit, NOW);
    const move = () => store.followUps.transition(followUp.id, { from: ['awaiting_approval'], to: 'proposed', audit: { actor: 'manager:alice', event: 'approved' } }, LATER);
    const [first, second] = await Promise.all([move(), move()]);
    expect([first?.state, second?.state].sort()).toEqual(['proposed', undefined]);
    expect((await store.followUps.audit(followUp.id)).filter((entry) => entry.event === 'approved')).toHaveLength(1);
    expect(await store.followUps.get(followUp.id)).toMatchObject({ state: 'proposed', updatedAt: LATER.toISOString() });
  });

  it('lists by state, kind and shipment, counts by kind and state, and reads several audit trails at once', async () => {
    await store.followUps.create(followUp, audit, NOW);
    const email = { ...followUp, id: 'fu-1-customer-email-0123456789abcdef', kind: 'customer_email', state: 'proposed', approvalRequired: false } as const;
    await store.followUps.create(email, { ...audit, policy: { actor: 'system', event: 'approved_automatically' } }, NOW);
    await store.followUps.create({ ...followUp, id: 'fu-1-refund-fedcba9876543210', params: { amount: 10 } }, audit, NOW);
    await store.followUps.transition(email.id, { from: ['proposed'], to: 'running', audit: { actor: 'worker', event: 'started' } }, LATER);

    const ids = async (filter: Parameters<Store['followUps']['list']>[0]) => (await store.followUps.list(filter)).map((listed) => listed.id).sort();
    expect(await ids({ kind: 'refund' })).toEqual(['fu-1-refund-0123456789abcdef', 'fu-1-refund-fedcba9876543210']);
    expect(await ids({ kind: 'customer_email', state: 'running' })).toEqual([email.id]);
    expect(await ids({ kind: 'customer_email', state: 'awaiting_approval' })).toEqual([]);
    expect(await ids({ shipmentId: followUp.shipmentId, limit: 1 })).toHaveLength(1);
    expect(await store.followUps.countsByKindAndState()).toEqual([
      { kind: 'customer_email', state: 'running', count: 1 },
      { kind: 'refund', state: 'awaiting_approval', count: 2 },
    ]);

    const trails = await store.followUps.auditOf([email.id, followUp.id, 'fu-unknown']);
    expect(trails.get(email.id)?.map((entry) => entry.event)).toEqual(['proposed', 'approved_automatically', 'started']);
    expect(trails.get(followUp.id)?.map((entry) => entry.event)).toEqual(['proposed', 'approval_requested']);
    expect(trails.get('fu-unknown')).toEqual([]);
    expect(await store.followUps.audit(email.id)).toEqual(trails.get(email.id));
  });

  it('notes several follow-ups in their state, in order, or none when one of them does not exist', async () => {
    await store.followUps.create(followUp, audit, NOW);
    const waiting = (id: string, after: string) => ({ id, record: { actor: 'system' as const, event: 'waiting_for', details: { after } } });
    await expect(store.followUps.noteMany([waiting(followUp.id, 'refund'), waiting('fu-404-refund-0000000000000000', 'refund')], LATER)).rejects.toThrow('no follow-up fu-404-refund-0000000000000000');
    expect(await store.followUps.audit(followUp.id)).toHaveLength(2);
    await store.followUps.noteMany([waiting(followUp.id, 'first'), waiting(followUp.id, 'second')], LATER);
    expect((await store.followUps.audit(followUp.id)).slice(2)).toEqual([
      { at: LATER.toISOString(), actor: 'system', event: 'waiting_for', fromState: 'awaiting_approval', toState: 'awaiting_approval', details: { after: 'first' } },
      { at: LATER.toISOString(), actor: 'system', event: 'waiting_for', fromState: 'awaiting_approval', toState: 'awaiting_approval', details: { after: 'second' } },
    ]);
  });

  it('keeps the audit trail append-only, and refuses an actor it does not know', async () => {
    await store.followUps.create(followUp, audit, NOW);
    await expect(db.query(`update followup_audit set event = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query('delete from followup_audit')).rejects.toThrow(/append-only/);
    await expect(store.followUps.note(followUp.id, { actor: 'somebody' as 'worker', event: 'x' }, NOW)).rejects.toThrow(/check/);
  });

  it('keeps documents byte for byte', async () => {
    await store.followUps.create(followUp, audit, NOW);
    const content = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a, 0x00]);
    const id = await store.documents.save({ followUpId: followUp.id, fileName: 'label.pdf', contentType: 'application/pdf', content }, NOW);
    const stored = await store.documents.get(id);
    expect(stored?.content.equals(content)).toBe(true);
    expect(stored).toMatchObject({ fileName: 'label.pdf', contentType: 'application/pdf', size: 8, followUpId: followUp.id });
    expect(await store.documents.list({ followUpId: followUp.id })).toEqual([expect.objectContaining({ id, size: 8 })]);
    expect(await store.documents.list({ shipmentId: followUp.shipmentId })).toEqual([]);
    await expect(store.documents.save({ fileName: 'orphan.pdf', contentType: 'application/pdf', content }, NOW)).rejects.toThrow(/check/);
  });

  it("links a reshipment's parcel to the original, taking over a shipment imported under that number", async () => {
    await store.followUps.create(followUp, audit, NOW);
    await store.shipments.upsertMany([{ trackingNumber: '6A99999999999', carrier: 'laposte', orderRef: 'RS-1', customerLang: 'fr', destinationCountry: 'FR' }], NOW);
    const ordered = await store.reshipments.recordOrder({ followUpId: followUp.id, originalShipmentId: followUp.shipmentId, orderRef: 'RS-1', omsStatus: 'created' }, NOW);
    expect(await store.reshipments.recordOrder({ followUpId: followUp.id, originalShipmentId: followUp.shipmentId, orderRef: 'RS-1', omsStatus: 'created' }, LATER)).toEqual(ordered);
    const parcel = await store.reshipments.ship(ordered, { carrier: 'laposte', trackingNumber: '6A99999999999', omsStatus: 'shipped' }, LATER);
    expect(parcel).toMatchObject({ trackingNumber: '6A99999999999', orderRef: 'RS-1', reshipmentOf: followUp.shipmentId, declaredValue: 40, currency: 'EUR' });
    expect(await store.reshipments.forFollowUp(followUp.id)).toMatchObject({ state: 'shipped', shipmentId: parcel.id, trackingNumber: '6A99999999999' });
    expect(await store.reshipments.waiting()).toEqual([]);
  });
});
