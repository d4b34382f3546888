import type { Shipment } from '../domain/shipment.ts';
import type { Clock } from '../infra/clock.ts';
import { asRobotError } from '../jobs/failure-policy.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { Reshipment } from '../store/reshipment-repository.ts';
import type { Store } from '../store/store.ts';
import type { OmsClient, OmsReshipment } from './oms-client.ts';

export interface ReshipmentSyncDeps {
  store: Store;
  oms: OmsClient;
  clock: Clock;
  /** Whether a robot tracks parcels of this carrier id: the OMS must name parcelbot's carriers. */
  isCarrier(id: string): boolean;
}

export interface ReshipmentSync {
  /** Replacement orders asked about. */
  checked: number;
  /** The new parcels, each a shipment linked to the one it replaces. */
  shipped: Shipment[];
  cancelled: number;
  /** Orders that could not be read or used; a fault of the OMS itself stops the run (the next one tries again). */
  failures: { orderRef: string; code: string; message: string }[];
}

/**
 * Asks the OMS about every replacement order still without a parcel. When one has shipped, its
 * parcel becomes a shipment of its own (carrier, number, the original's customer and order data,
 * `reshipment_of` the original), which sweeps then track. The scheduler calls this.
 */
export async function syncReshipments(deps: ReshipmentSyncDeps): Promise<ReshipmentSync> {
  const sync: ReshipmentSync = { checked: 0, shipped: [], cancelled: 0, failures: [] };
  for (const reshipment of await deps.store.reshipments.waiting()) {
    sync.checked += 1;
    try {
      const answer = await deps.oms.reshipment(reshipment.orderRef);
      if (!answer) throw new RobotError('CARRIER_BAD_REQUEST', `the OMS no longer knows replacement order ${reshipment.orderRef}`);
      const outcome = await recordOmsAnswer(deps, reshipment, answer);
      if (outcome === 'cancelled') sync.cancelled += 1;
      else if (outcome) sync.shipped.push(outcome);
    } catch (thrown) {
      const error = asRobotError(thrown);
      sync.failures.push({ orderRef: reshipment.orderRef, code: error.code, message: error.message });
      // Down, slow or limiting: asking about the next orders now would only fail the same way.
      if (error.policy !== 'final') break;
    }
  }
  return sync;
}

/** What the OMS said of a replacement order, in the store: its parcel as a linked shipment, or its cancellation. */
export async function recordOmsAnswer(deps: Omit<ReshipmentSyncDeps, 'oms'>, reshipment: Reshipment, answer: OmsReshipment): Promise<Shipment | 'cancelled' | undefined> {
  const now = deps.clock.now();
  if (answer.status === 'cancelled') {
    await deps.store.reshipments.cancel(reshipment.id, answer.status, now);
    return 'cancelled';
  }
  if (!answer.trackingNumber || !answer.carrier) return undefined;
  if (!deps.isCarrier(answer.carrier)) {
    throw new RobotError('CARRIER_BAD_PAYLOAD', `the OMS shipped ${reshipment.orderRef} with carrier "${answer.carrier.slice(0, 40)}", which no robot tracks: it must name a carrier id such as laposte`);
  }
  return deps.store.reshipments.ship(reshipment, { carrier: answer.carrier, trackingNumber: answer.trackingNumber, omsStatus: answer.status }, now);
}
