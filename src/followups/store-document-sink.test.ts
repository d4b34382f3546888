import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../infra/clock.ts';
import { createStore } from '../store/store.ts';
import { openTestDatabase } from '../store/test-database.ts';
import { createStoreDocumentSink } from './store-document-sink.ts';

const db = await openTestDatabase();
afterAll(() => db.drop());
const store = createStore(db);
const sink = createStoreDocumentSink(async () => store, fixedClock('2026-03-10T09:00:00Z'));
const label = { fileName: 'return.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7 label') };
await store.shipments.upsertMany([{ trackingNumber: '6A12345678901', carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' }], new Date());
const [shipment] = await store.shipments.list();
const links = { kind: 'return_label', shipmentId: shipment!.id, followUpId: 'fu-1' } as const;
// Documents belong to follow-ups: two of them, as the runtime would have stored them.
for (const id of ['fu-1', 'fu-2']) {
  const audit = { actor: 'system' as const, event: 'proposed' };
  const followUp = { id, shipmentId: shipment!.id, kind: 'return_label' as const, state: 'proposed' as const, ruleId: 'test', reason: 'test', params: {}, dueAt: '2026-03-10T09:00:00Z', approvalRequired: false };
  await store.followUps.create(followUp, { proposed: audit, policy: audit }, new Date());
}

describe('documents kept in the store', () => {
  it('keeps a document and reads it back by its id', async () => {
    const id = await sink.save(label, links);
    expect(await sink.read(id)).toEqual(label);
  });

  it('gives the same id to the same document saved again for the same follow-up, keeping one copy', async () => {
    const first = await sink.save(label, links);
    expect(await sink.save(label, links)).toBe(first);
    expect(await sink.save(label, { ...links, followUpId: 'fu-2' })).not.toBe(first);
    expect(await sink.save({ ...label, bytes: Buffer.from('%PDF-1.7 another label') }, links)).not.toBe(first);
    expect(await store.documents.list({ followUpId: 'fu-1' })).toHaveLength(2);
  });

  it('reads nothing for an unknown or malformed id', async () => {
    expect(await sink.read('987654')).toBeUndefined();
    expect(await sink.read('../../etc/passwd')).toBeUndefined();
  });
});
