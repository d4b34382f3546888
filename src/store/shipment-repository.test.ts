import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShipmentInput } from '../domain/shipment.ts';
import type { Database } from './database.ts';
import { ShipmentRepository } from './shipment-repository.ts';
import { openTestDatabase } from './test-database.ts';

const order: ShipmentInput = {
  trackingNumber: '6A12345678901',
  carrier: 'laposte',
  orderRef: 'CMD-1001',
  channel: 'web',
  customerEmail: 'camille.martin@example.com',
  customerLang: 'fr',
  declaredValue: 49.9,
  currency: 'EUR',
  destinationCountry: 'FR',
  promisedFrom: '2026-03-12',
  promisedTo: '2026-03-12',
};

describe('ShipmentRepository', () => {
  let db: Database & { drop(): Promise<void> };
  let shipments: ShipmentRepository;
  beforeEach(async () => {
    db = await openTestDatabase();
    shipments = new ShipmentRepository(db);
  });
  afterEach(async () => db.drop());

  it('inserts new shipments and updates known ones by carrier and number', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    expect(await shipments.upsertMany([order], now)).toEqual({ inserted: 1, updated: 0 });
    expect(await shipments.upsertMany([{ ...order, promisedTo: '2026-03-13' }], now)).toEqual({ inserted: 0, updated: 1 });
    expect(await shipments.find('laposte', '6A12345678901')).toMatchObject({ orderRef: 'CMD-1001', declaredValue: 49.9, promisedFrom: '2026-03-12', promisedTo: '2026-03-13', status: 'unknown' });
  });

  it('keeps stored order data when a re-import leaves a field blank', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    await shipments.upsertMany([order], now);
    await shipments.upsertMany([{ trackingNumber: order.trackingNumber, carrier: 'laposte', customerLang: 'fr', destinationCountry: 'FR' }], now);
    expect(await shipments.find('laposte', '6A12345678901')).toMatchObject({ orderRef: 'CMD-1001', customerEmail: 'camille.martin@example.com', declaredValue: 49.9 });
  });

  it('pages through active shipments in id order', async () => {
    const now = new Date('2026-03-09T10:00:00Z');
    const many = Array.from({ length: 25 }, (_, index) => ({ ...order, trackingNumber: `6A${String(index).padStart(11, '0')}` }));
    await shipments.upsertMany(many, now);
    const first = await shipments.listActive(0, 10);
    const second = await shipments.listActive(first.at(-1)?.id ?? 0, 100);
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(15);
    expect(new Set([...first, ...second].map((target) => target.trackingNumber)).size).toBe(25);
  });
});
