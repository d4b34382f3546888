import type { z } from 'zod';
import type { ClaimReceipt, ClaimRequest, ClaimState } from '../domain/claim.ts';
import type { MarketplaceOrder, OrderQuery, RefundReceipt, RefundRequest } from '../domain/marketplace-order.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { RobotContext } from './robot-context.ts';
import type { RobotError } from './robot-error.ts';
import type { FormatMatch } from './tracking-formats.ts';

/** What a robot answered for one tracking number of a batch. */
export type TrackOutcome =
  | { trackingNumber: string; kind: 'found'; snapshot: Snapshot }
  | { trackingNumber: string; kind: 'not_found'; message: string }
  /** This number alone was refused (bad format...); the others of the batch stand. */
  | { trackingNumber: string; kind: 'rejected'; error: RobotError };

/** For `parcelbot portal check`: whether a required element of a portal page still matches. */
export interface SelectorCheck {
  page: string;
  name: string;
  selector: string;
  found: boolean;
}

/** What a robot can do; each method is there only when the system allows it. */
export interface Robot {
  /**
   * Tracks up to `capabilities.track.maxBatch` numbers in as few calls as the carrier allows.
   * Returns one outcome per number, in order. Throws RobotError when the whole call failed.
   */
  track?(trackingNumbers: readonly string[]): Promise<TrackOutcome[]>;
  /** Files a compensation claim with the carrier; returns its reference. */
  fileClaim?(claim: ClaimRequest): Promise<ClaimReceipt>;
  /** The carrier's current view of claims filed before. */
  claimStatus?(references: readonly string[]): Promise<ClaimState[]>;
  /** A return label for a parcel: the carrier's PDF. */
  returnLabel?(trackingNumber: string): Promise<{ fileName: string; pdf: Buffer; returnTrackingNumber?: string }>;
  /** A marketplace's orders with their promises, every page read. */
  listOrders?(query: OrderQuery): Promise<MarketplaceOrder[]>;
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
   * `<ID>_RATE_LIMIT` overrides (e.g. `LAPOSTE_RATE_LIMIT=100/1s`).
   */
  track?: { maxBatch: number; rateLimit?: RateLimit };
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
  /** Why this number cannot be one of this carrier's, or null when its format fits. */
  checkTrackingNumber(trackingNumber: string): string | null;
  /**
   * The carrier's number formats this number fits, with their check digit, for carrier
   * detection (`parcelbot detect`). Empty when it fits none.
   */
  recognize?(trackingNumber: string): FormatMatch[];
  create(context: RobotContext, config: Config): Created;
}

/**
 * Declares a robot; exists so `config` and `create` agree on the settings' type, and so a robot's
 * own tests see what its `create` returns (an API robot's `track` is there, not optional).
 */
export function defineRobot<Config, Created extends Robot>(definition: RobotDefinition<Config, Created>): RobotDefinition<Config, Created> {
  return definition;
}
