import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaimRepository, type NewClaim } from './claim-repository.ts';
import { ShipmentRepository } from './shipment-repository.ts';
import { type TestDatabase, openTestDatabase } from './test-database.ts';

const now = new Date('2026-03-10T09:00:00Z');
const later = new Date('2026-03-11T09:00:00Z');

describe('ClaimRepository', () => {
  let db: TestDatabase;
  let claims: ClaimRepository;
  let filed: NewClaim;
  beforeEach(async () => {
    db = await openTestDatabase();
    claims = new ClaimRepository(db);
    await new ShipmentRepository(db).upsertMany([{ trackingNumber: 'RP5273109859', carrier: 'relay-portal', customerLang: 'fr', destinationCountry: 'FR' }], now);
    const [shipment] = await new ShipmentRepository(db).list();
    filed = {
      followUpId: 'carrier_claim:1:a',
      shipmentId: shipment!.id,
      carrier: 'relay-portal',
      trackingNumber: 'RP5273109859',
      type: 'damaged',
      filedVia: 'portal',
      status: 'submitted',
      reference: 'CLM-2026-000001',
      amountClaimed: 74.5,
      currency: 'EUR',
      evidenceDocumentId: 'doc-1',
      filedAt: now,
      windowClosesAt: '2026-03-13T23:00:00.000Z',
    };
  });
  afterEach(async () => db.drop());

  it('stores a filed claim with its reference, and lists it as open', async () => {
    const stored = await claims.record(filed, now);
    expect(stored).toMatchObject({ ...filed, id: expect.any(Number), filedAt: now.toISOString(), createdAt: now.toISOString() });
    expect(await claims.findByFollowUp(filed.followUpId)).toEqual(stored);
    expect((await claims.listOpen()).map((claim) => claim.reference)).toEqual(['CLM-2026-000001']);
  });

  it("lists a shipment's claims, oldest first", async () => {
    const first = await claims.record(filed, now);
    const second = await claims.record({ ...filed, followUpId: 'carrier_claim:1:b', reference: 'CLM-2026-000002', type: 'late' }, later);
    expect((await claims.listForShipment(filed.shipmentId)).map((claim) => claim.id)).toEqual([first.id, second.id]);
    expect(await claims.listForShipment(filed.shipmentId + 1)).toEqual([]);
  });

  it('keeps one claim per follow-up and one per carrier reference', async () => {
    const first = await claims.record(filed, now);
    expect((await claims.record({ ...filed, amountClaimed: 80 }, later)).id).toBe(first.id);
    // Another follow-up for the same parcel: the robot answered the claim already open.
    expect((await claims.record({ ...filed, followUpId: 'carrier_claim:1:b' }, later)).id).toBe(first.id);
    expect(await db.query('select count(*)::int as n from claims')).toEqual([{ n: 1 }]);
  });

  it('refuses a claim to file that has a reference, or a filed one without', async () => {
    await expect(claims.record({ ...filed, status: 'to_file' }, now)).rejects.toThrow(/check/);
    await expect(claims.record({ ...filed, reference: undefined }, now)).rejects.toThrow(/check/);
  });

  it('lists claims to file, soonest window first, and records the reference an agent got', async () => {
    const toFile = { ...filed, filedVia: 'agent', status: 'to_file', reference: undefined, filedAt: undefined } as const;
    await claims.record({ ...toFile, followUpId: 'late' }, now);
    const soon = await claims.record({ ...toFile, followUpId: 'soon', windowClosesAt: '2026-03-11T23:00:00.000Z' }, now);
    await claims.record({ ...toFile, followUpId: 'unknown', windowClosesAt: undefined }, now);
    expect((await claims.listToFile()).map((claim) => claim.followUpId)).toEqual(['soon', 'late', 'unknown']);
    expect(await claims.recordFiledByAgent(soon.id, 'CASE-77', later)).toMatchObject({ status: 'submitted', reference: 'CASE-77', filedAt: later.toISOString() });
    expect(await claims.recordFiledByAgent(soon.id, 'CASE-78', later)).toBeUndefined();
  });

  it('updates the status the carrier gives, saying whether it changed, and when it was checked', async () => {
    const { id } = await claims.record(filed, now);
    expect(await claims.updateStatus(id, 'submitted', undefined, later)).toBe(false);
    expect(await claims.findByFollowUp(filed.followUpId)).toMatchObject({ updatedAt: now.toISOString(), lastCheckedAt: later.toISOString() });
    expect(await claims.updateStatus(id, 'paid', '74.50 EUR paid', later)).toBe(true);
    expect(await claims.findByFollowUp(filed.followUpId)).toMatchObject({ status: 'paid', statusNote: '74.50 EUR paid', updatedAt: later.toISOString() });
    expect(await claims.listOpen()).toEqual([]);
  });
});
