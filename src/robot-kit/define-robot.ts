import type { z } from 'zod';
import type { ClaimReceipt, ClaimRequest, ClaimState } from '../domain/claim.ts';
import type { MarketplaceOrder, OrderPage, OrderPageQuery, OrderQuery, RefundReceipt, RefundRequest } from '../domain/marketplace-order.ts';
import type { ReturnLabel, ReturnParties } from '../domain/return-label.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { RobotContext } from './robot-context.ts';
import type { RobotError } from './robot-error.ts';
import type { FormatMatch } from './tracking-formats.ts';

/** What a robot answered for one tracking number of a batch. */
export type TrackOutcome =
  | { trackingNumber: string; kind: 'found'; snapshot: Snapshot }
  | { trackingNumber: string; kind: 'not_found'; message: string }
  /** This number alone was refused (bad format...); the others of the batch stand. */
  | { trackingNumber: string; kind: 'rejected'; error: RobotError }
  /**
   * The carrier's answer for this number alone could not be read (CARRIER_BAD_PAYLOAD with its
   * part of the answer as evidence): an exception for it, checked again later; the others stand.
   * Not `rejected`: nothing says the number is wrong, and a refused number is never asked again.
   */
  | { trackingNumber: string; kind: 'failed'; error: RobotError };

/** For `parcelbot portal check`: whether a required element of a portal page still matches. */
export interface SelectorCheck {
  page: string;
  name: string;
  selector: string;
  /**
   * `found`; `missing` from a page that was reached; `page-not-reached` when the page itself could
   * not be opened (an error page, no link leading to it): the selector was not checked.
   */
  state: 'found' | 'missing' | 'page-not-reached';
  /** Why the page was not reached. */
  reason?: string;
}

/** What a robot can do; each method is there only when the system allows it. */
export interface Robot {
  /**
   * Tracks up to `capabilities.track.maxBatch` numbers in as few calls as the carrier allows.
   * Returns one outcome per number, in order. Throws RobotError when the whole call failed; an
   * answer for one number that cannot be read is that number's `failed` outcome.
   */
  track?(trackingNumbers: readonly string[]): Promise<TrackOutcome[]>;
  /**
   * Files a compensation claim with the carrier; returns its reference. Must answer the claim
   * still open for the same parcel and type instead of filing another: a follow-up that runs again
   * after a crash calls it again (src/followups/claims).
   */
  fileClaim?(claim: ClaimRequest): Promise<ClaimReceipt>;
  /** The carrier's current view of claims filed before. */
  claimStatus?(references: readonly string[]): Promise<ClaimState[]>;
  /** A return label for a parcel: the carrier's PDF. `parties` names both ends, for carriers whose label service needs them. */
  returnLabel?(trackingNumber: string, parties?: ReturnParties): Promise<ReturnLabel>;
  /** A marketplace's orders with their promises, every page read. */
  listOrders?(query: OrderQuery): Promise<MarketplaceOrder[]>;
  /**
   * One page of the orders changed in a window of time, for the marketplace sync: the sync keeps
   * the cursor and asks page after page, so an interrupted sync resumes where it stopped.
   */
  readOrderPage?(query: OrderPageQuery): Promise<OrderPage>;
  readOrder?(orderRef: string): Promise<MarketplaceOrder | undefined>;
  refund?(request: RefundRequest): Promise<RefundReceipt>;
  /**
   * A refund made before with this order, amount and reason, as the marketplace shows it; undefined
   * when there is none. Lets a follow-up that stopped mid-refund find it instead of refunding twice.
   */
  findRefund?(request: RefundRequest): Promise<RefundReceipt | undefined>;
  /** Logs in and checks every required selector of the portal's pages. */
  checkPortal?(): Promise<SelectorCheck[]>;
}

/** At most `max` calls per `durationMs`, across every worker and process. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

export interface RobotCapabilities {
  /**
   * `maxBatch`: numbers per carrier call. `rateLimit`: the carrier's documented default, which
   * `<ID>_RATE_LIMIT` overrides (e.g. `LAPOSTE_RATE_LIMIT=100/1s`). `dailyQuota`: the carrier's
   * calls per GMT day, for carriers that have one (the background keeps to its share of it,
   * src/jobs/daily-call-budget.ts); `<ID>_DAILY_QUOTA` overrides it.
   */
  track?: { maxBatch: number; rateLimit?: RateLimit; dailyQuota?: number };
  /**
   * A marketplace the sync reads (`readOrderPage`). `rateLimit`: how fast the sync asks for pages
   * by default (`<ID>_RATE_LIMIT` overrides). `carriesTracking`: whether its orders name the
   * tracking number (Mirakl) or never do (Amazon: shipments are matched by order reference).
   */
  orders?: { rateLimit?: RateLimit; carriesTracking: boolean };
}

/** A robot's declaration: the registry reads this from `robots/<id>/index.ts`. */
export interface RobotDefinition<Config = unknown, Created extends Robot = Robot> {
  /** Equals its folder name and its fixture folder name. */
  id: string;
  title: string;
  kind: 'api' | 'portal';
  capabilities: RobotCapabilities;
  /**
   * The robot's settings, read from the environment by variable name (e.g. `LAPOSTE_API_KEY`)
   * once at start, with the core settings: a wrong value stops the program.
   */
  config: z.ZodType<Config>;
  /**
   * Why this number cannot be one of this carrier's, or null when its format fits. Required of a
   * robot with `capabilities.track` (the registry refuses one without it); others have none.
   */
  checkTrackingNumber?(trackingNumber: string): string | null;
  /**
   * The carrier's number formats this number fits, with their check digit, for carrier
   * detection (`parcelbot detect`). Empty when it fits none.
   */
  recognize?(trackingNumber: string): FormatMatch[];
  create(context: RobotContext, config: Config): Created;
}

/** What a robot that tracks must declare besides `capabilities.track`. */
interface NumberCheck {
  checkTrackingNumber(trackingNumber: string): string | null;
}

/** A robot that tracks parcels: the carriers a shipment can name, each able to check a number. */
export type TrackerDefinition = RobotDefinition & NumberCheck & { capabilities: Required<Pick<RobotCapabilities, 'track'>> };

/** Whether `definition` tracks parcels, with what tracking needs declared. */
export function isTracker(definition: RobotDefinition): definition is TrackerDefinition {
  return definition.capabilities.track !== undefined && typeof definition.checkTrackingNumber === 'function';
}

/**
 * Declares a robot; exists so `config` and `create` agree on the settings' type, so a robot's own
 * tests see what its `create` returns (an API robot's `track` is there, not optional), and so a
 * robot that tracks cannot leave out `checkTrackingNumber` (no overload takes it).
 */
export function defineRobot<Config, Created extends Robot>(definition: RobotDefinition<Config, Created> & NumberCheck): RobotDefinition<Config, Created> & NumberCheck;
export function defineRobot<Config, Created extends Robot>(definition: RobotDefinition<Config, Created> & { capabilities: { track?: undefined } }): RobotDefinition<Config, Created>;
export function defineRobot<Config, Created extends Robot>(definition: RobotDefinition<Config, Created>): RobotDefinition<Config, Created> {
  return definition;
}
