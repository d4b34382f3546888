import type { ShipmentInput } from '../domain/shipment.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { generateNumbers } from '../../fixtures/testing/generated-numbers.ts';

/** One benchmark parcel: a generated number following one of its simulator's scenarios. */
export interface BenchParcel {
  carrier: 'laposte' | 'ups' | 'fedex' | 'dhl';
  trackingNumber: string;
  scenario: string;
}

/**
 * A French merchant's mix: La Poste carries most parcels (10 numbers per call), FedEx some (30
 * per call), UPS and DHL the rest (one per call). Each carrier's parcels cycle through ordinary
 * scenarios, a few late: the rules act on about one parcel in twenty.
 */
const MIX: { carrier: BenchParcel['carrier']; share: number; scenarios: string[] }[] = [
  { carrier: 'laposte', share: 0.6, scenarios: ['in-transit', 'in-transit', 'picked-up', 'out-for-delivery', 'delivered', 'awaiting-pickup', 'in-transit', 'problem-resolved', 'in-transit', 'in-transit', 'delivered', 'out-for-delivery', 'in-transit', 'picked-up', 'delivered', 'in-transit', 'in-transit', 'in-transit', 'delivered', 'in-transit-late'] },
  { carrier: 'fedex', share: 0.15, scenarios: ['in-transit', 'picked-up', 'out-for-delivery', 'delivered', 'in-transit', 'ground-in-transit', 'in-transit', 'delivered', 'in-transit', 'running-late'] },
  { carrier: 'ups', share: 0.125, scenarios: ['in-transit', 'picked-up', 'out-for-delivery', 'delivered', 'in-transit', 'international-in-transit', 'in-transit', 'delivered', 'in-transit', 'in-transit-late'] },
  { carrier: 'dhl', share: 0.125, scenarios: ['in-transit', 'out-for-delivery', 'delivered', 'in-transit', 'handed-to-express', 'in-transit', 'delivered', 'express-in-transit', 'in-transit', 'in-transit-late'] },
];

export function benchParcels(registry: RobotRegistry, total: number, seed = 1): BenchParcel[] {
  return MIX.flatMap(({ carrier, share, scenarios }) => {
    const robot = registry.find(carrier);
    if (!robot) throw new Error(`no robot ${carrier}`);
    return generateNumbers(robot, Math.round(total * share), seed).map((trackingNumber, index) => ({ carrier, trackingNumber, scenario: scenarios[index % scenarios.length]! }));
  });
}

/** The orders of the parcels (`{orderPrefix}-0`, `-1`...): promised two days after `today`, late ones two days before. */
export function benchShipments(parcels: readonly BenchParcel[], today: Date, orderPrefix = 'BENCH'): ShipmentInput[] {
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return parcels.map((parcel, index) => ({
    trackingNumber: parcel.trackingNumber,
    carrier: parcel.carrier,
    orderRef: `${orderPrefix}-${index}`,
    channel: 'web',
    customerEmail: `customer${index}@example.com`,
    customerLang: 'fr',
    declaredValue: 20 + (index % 90),
    currency: 'EUR',
    destinationCountry: 'FR',
    promisedTo: day(parcel.scenario.includes('late') ? -2 : 2),
  }));
}
