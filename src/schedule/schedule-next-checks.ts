import type { Shipment } from '../domain/shipment.ts';
import type { NextCheck, ShipmentRepository } from '../store/shipment-repository.ts';
import { type CheckOutcome, type NextCheckSettings, nextCheckAt } from './next-check.ts';

/** One number of a check; `shipment` when the check already returned it (found). */
export interface CheckedNumber {
  trackingNumber: string;
  outcome: CheckOutcome;
  shipment?: Shipment;
}

/**
 * After a check, whatever it gave: each stored shipment gets its next check time, so no later
 * sweep (or a resumed one) takes it before its time. Numbers with no shipment are skipped.
 */
export async function scheduleNextChecks(
  shipments: ShipmentRepository,
  carrier: string,
  checked: readonly CheckedNumber[],
  checkedAt: Date,
  settings: NextCheckSettings,
): Promise<void> {
  await shipments.scheduleChecks(await nextChecksOf(shipments, carrier, checked, checkedAt, settings));
}

/** The next checks `scheduleNextChecks` sets, for a caller that stores them with more (the track processor, with the verdicts). */
export async function nextChecksOf(
  shipments: ShipmentRepository,
  carrier: string,
  checked: readonly CheckedNumber[],
  checkedAt: Date,
  settings: NextCheckSettings,
): Promise<NextCheck[]> {
  const unknown = checked.filter((entry) => !entry.shipment).map((entry) => ({ carrier, trackingNumber: entry.trackingNumber }));
  const stored = new Map((await shipments.findMany(unknown)).map((shipment) => [shipment.trackingNumber, shipment]));
  return checked.flatMap((entry) => {
    const shipment = entry.shipment ?? stored.get(entry.trackingNumber);
    return shipment ? [{ id: shipment.id, at: nextCheckAt(shipment, entry.outcome, checkedAt, settings).at, checkedAt }] : [];
  });
}
