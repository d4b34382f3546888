import { mulberry32 } from '../../fixtures/testing/generated-numbers.ts';
import { addDays } from '../domain/calendar-day.ts';

export const CHAOS_CARRIERS = ['laposte', 'dhl', 'ups', 'fedex', 'relay-portal'] as const;
export type ChaosCarrier = (typeof CHAOS_CARRIERS)[number];

/** One parcel of the run: what its carrier's simulator tells, and what the merchant imported. */
export interface ChaosParcel {
  carrier: ChaosCarrier;
  trackingNumber: string;
  /** The simulator's scenario for it. */
  scenario: string;
  orderRef: string;
  customerEmail: string;
  declaredValue: number;
  /** YYYY-MM-DD. */
  promisedDate: string;
  /** Late when first checked, delivered later in the run (its story switched): with its reshipment, delivered twice. */
  deliveredLater: boolean;
  /** Agents' look-ups of it during the run (above CONTACTS_TARGET: a manager case). */
  lookups: number;
}

export interface ChaosPlan {
  parcels: ChaosParcel[];
  /** La Poste numbers the OMS ships replacements with, in turn; delivered as soon as shipped. */
  reshipmentNumbers: string[];
}

type PromiseDay = 'past' | 'future';

/**
 * Each carrier's stories and how often they come, with the promise that makes them interesting:
 * parcels still moving after a promise gone by are late (reshipped or refunded, claimed, the
 * customer told), silent ones suspected lost, returned ones refunded or sent to a manager, damaged
 * ones claimed; the rest are on time or delivered, so the rules propose nothing for them.
 */
const STORIES: Record<ChaosCarrier, readonly [scenario: string, weight: number, promise: PromiseDay][]> = {
  laposte: [
    ['in-transit', 20, 'future'],
    ['in-transit', 10, 'past'],
    ['delivered', 15, 'future'],
    ['in-transit-late', 15, 'past'],
    ['stale', 8, 'past'],
    ['returned', 6, 'future'],
    ['problem', 5, 'future'],
    ['out-for-delivery', 8, 'future'],
    ['label-created', 5, 'future'],
    ['unknown-code', 3, 'past'],
  ],
  dhl: [
    ['in-transit', 25, 'future'],
    ['in-transit-late', 20, 'past'],
    ['delivered', 20, 'future'],
    ['stale', 10, 'past'],
    ['damaged', 8, 'future'],
    ['refused-returning', 7, 'future'],
    ['weather-delay', 10, 'future'],
  ],
  ups: [
    ['in-transit', 25, 'future'],
    ['in-transit-late', 20, 'past'],
    ['delivered', 20, 'future'],
    ['lost', 8, 'past'],
    ['damaged', 7, 'future'],
    ['returned-to-sender', 7, 'future'],
    ['receiver-absent', 13, 'future'],
  ],
  fedex: [
    ['in-transit', 25, 'future'],
    ['running-late', 20, 'past'],
    ['delivered', 20, 'future'],
    ['returned', 10, 'future'],
    ['cancelled', 5, 'future'],
    ['delivery-exception', 10, 'future'],
    ['weather-delay', 10, 'past'],
  ],
  'relay-portal': [
    ['in-transit', 30, 'future'],
    ['delayed', 25, 'past'],
    ['lost', 15, 'past'],
    ['damaged', 15, 'future'],
    ['collected', 15, 'future'],
  ],
};

/** Shares of the parcels by carrier; relay parcels are read in a browser, so they are few and capped. */
const CARRIER_SHARES: Record<Exclude<ChaosCarrier, 'relay-portal'>, number> = { laposte: 0.4, dhl: 0.2, ups: 0.2, fedex: 0.2 };

export interface PlanOptions {
  size: number;
  seed: number;
  /** Relay portal parcels, taken out of La Poste's share. */
  portalParcels: number;
  /** Parcels delivered later in the run, for delivered-twice cases (La Poste, late, worth a reshipment). */
  deliveredLater: number;
  /** Today (YYYY-MM-DD): promises are set around it. */
  today: string;
  /** Distinct numbers the robot accepts, for a carrier (fixtures/testing/generated-numbers.ts). */
  numbers(carrier: ChaosCarrier, count: number, seed: number): string[];
}

/**
 * The parcels of a chaos run, the same for the same options. Values straddle AUTO_REFUND_MAX (30)
 * so both the reship and the refund rules fire, and a few are above FOLLOWUP_APPROVAL_ABOVE (100)
 * so some follow-ups wait for a manager. A few parcels are looked up three times by agents
 * (above CONTACTS_TARGET, 2) and one in ten once.
 */
export function planParcels(options: PlanOptions): ChaosPlan {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[], weight: (item: T) => number): T => {
    let draw = random() * items.reduce((sum, item) => sum + weight(item), 0);
    for (const item of items) if ((draw -= weight(item)) < 0) return item;
    return items.at(-1)!;
  };
  const counts = carrierCounts(options);
  const parcels: ChaosParcel[] = [];
  for (const carrier of CHAOS_CARRIERS) {
    const numbers = options.numbers(carrier, counts[carrier], options.seed);
    numbers.forEach((trackingNumber, index) => {
      const deliveredLater = carrier === 'laposte' && index < options.deliveredLater;
      const [scenario, , promise] = deliveredLater ? (['in-transit-late', 1, 'past'] as const) : pick(STORIES[carrier], ([, weight]) => weight);
      const roll = random();
      parcels.push({
        carrier,
        trackingNumber,
        scenario,
        orderRef: `CHAOS-${parcels.length + 1}`,
        customerEmail: `customer-${parcels.length + 1}@chaos.example`,
        declaredValue: deliveredLater ? 60 : valueFor(random()),
        promisedDate: addDays(options.today, promise === 'past' ? -5 : 5),
        deliveredLater,
        lookups: roll < 0.04 ? 3 : roll < 0.14 ? 1 : 0,
      });
    });
  }
  const taken = new Set(parcels.map((parcel) => parcel.trackingNumber));
  const reshipmentNumbers = options.numbers('laposte', counts.laposte + options.size, options.seed + 1).filter((number) => !taken.has(number)).slice(0, options.size);
  return { parcels, reshipmentNumbers };
}

function carrierCounts({ size, portalParcels }: PlanOptions): Record<ChaosCarrier, number> {
  const others = { dhl: Math.round(size * CARRIER_SHARES.dhl), ups: Math.round(size * CARRIER_SHARES.ups), fedex: Math.round(size * CARRIER_SHARES.fedex) };
  const laposte = size - others.dhl - others.ups - others.fedex - portalParcels;
  if (laposte < 1) throw new Error(`a run of ${size} parcels cannot hold ${portalParcels} portal parcels`);
  return { laposte, ...others, 'relay-portal': portalParcels };
}

/** 55 % worth a reshipment (30 to 95), 42 % refunded instead (5 to 29.90), 3 % above the approval threshold. */
function valueFor(draw: number): number {
  if (draw < 0.03) return 150 + Math.round(draw * 3000);
  if (draw < 0.45) return Math.round(500 + draw * 5000) / 100;
  return 30 + Math.round(draw * 65);
}
