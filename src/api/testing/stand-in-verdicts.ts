import type { Shipment } from '../../domain/shipment.ts';
import type { Verdict } from '../../domain/verdict.ts';
import type { VerdictPort } from '../ports.ts';

/**
 * For the browser tests and their screenshots only, until src/promise/ is merged: the promised
 * day against the delivery day or today, in UTC days, without business days or lost parcels.
 */
export const standInVerdicts: VerdictPort = {
  verdictOf(shipment: Shipment, _events, now): Verdict {
    const promised = shipment.promisedTo;
    if (shipment.status === 'return_to_sender') return 'returned';
    if (shipment.status === 'cancelled') return 'cancelled';
    if (!promised) return 'unknown';
    if (shipment.status === 'delivered') return (shipment.deliveredAt ?? '').slice(0, 10) <= promised ? 'delivered_on_time' : 'delivered_late';
    return now.toISOString().slice(0, 10) > promised ? 'late' : 'on_time';
  },
};
