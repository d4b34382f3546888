import { describe, expect, it } from 'vitest';
import { generateNumbers } from '../../fixtures/testing/generated-numbers.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { type PlanOptions, planParcels } from './parcel-plan.ts';

const registry = await RobotRegistry.load();
const options: PlanOptions = {
  size: 1000,
  seed: 3,
  portalParcels: 12,
  deliveredLater: 5,
  today: '2026-03-10',
  numbers: (carrier, count, seed) => generateNumbers(registry.find(carrier)!, count, seed),
};

describe('the parcels of a chaos run', () => {
  const plan = planParcels(options);

  it('are as many as asked, each number once, across every carrier', () => {
    expect(plan.parcels).toHaveLength(1000);
    expect(new Set(plan.parcels.map((parcel) => parcel.trackingNumber)).size).toBe(1000);
    const byCarrier: Record<string, number> = {};
    for (const { carrier } of plan.parcels) byCarrier[carrier] = (byCarrier[carrier] ?? 0) + 1;
    expect(byCarrier).toEqual({ laposte: 388, dhl: 200, ups: 200, fedex: 200, 'relay-portal': 12 });
  });

  it('are the same for the same seed, and others for another', () => {
    expect(planParcels(options)).toEqual(plan);
    expect(planParcels({ ...options, seed: 4 }).parcels).not.toEqual(plan.parcels);
  });

  it('promise days around today, worth amounts on both sides of the refund threshold', () => {
    expect(new Set(plan.parcels.map((parcel) => parcel.promisedDate))).toEqual(new Set(['2026-03-05', '2026-03-15']));
    const values = plan.parcels.map((parcel) => parcel.declaredValue);
    expect(values.filter((value) => value < 30).length).toBeGreaterThan(300);
    expect(values.filter((value) => value >= 30 && value <= 100).length).toBeGreaterThan(400);
    expect(values.filter((value) => value > 100).length).toBeGreaterThan(10);
  });

  it('make some parcels delivered later (La Poste, late, worth a reshipment) and some looked up above the contacts target', () => {
    const later = plan.parcels.filter((parcel) => parcel.deliveredLater);
    expect(later).toHaveLength(5);
    expect(later.every((parcel) => parcel.carrier === 'laposte' && parcel.scenario === 'in-transit-late' && parcel.declaredValue === 60)).toBe(true);
    expect(plan.parcels.filter((parcel) => parcel.lookups === 3).length).toBeGreaterThan(20);
  });

  it('give the OMS as many fresh La Poste numbers for replacements as there are parcels', () => {
    const originals = new Set(plan.parcels.map((parcel) => parcel.trackingNumber));
    expect(plan.reshipmentNumbers).toHaveLength(1000);
    expect(plan.reshipmentNumbers.some((number) => originals.has(number))).toBe(false);
  });
});
