import { randomUUID } from 'node:crypto';
import type { OrderPage, OrderPageQuery } from '../domain/marketplace-order.ts';
import { asRobotError, decideOnFailure } from '../jobs/failure-policy.ts';
import type { App } from '../main.ts';
import type { RobotDefinition } from '../robot-kit/define-robot.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import type { RobotRegistry } from '../robot-kit/registry.ts';
import { transactionRetryingDeadlocks } from '../store/deadlock-retry.ts';
import { LeaseLostError, MarketplaceSyncRepository, type SyncState } from '../store/marketplace-sync-repository.ts';
import { applyPage } from './apply-page.ts';
import { Pacer, sleep, type Wait } from './pacer.ts';
import { type PlanRules, planPage } from './page-plan.ts';
import { countPage, emptyReport, type SyncReport } from './sync-report.ts';

/** What a sync needs of the app: the scheduler and `parcelbot sync` hand theirs. */
export type SyncApp = Pick<App, 'robot' | 'registry' | 'store' | 'clock' | 'config' | 'logger'>;

export interface SyncOptions {
  /** How the run waits (its rate, Retry-After, backoff): real time by default. */
  wait?: Wait;
  /** Aborted to stop the run between two pages (the scheduler stopping, Ctrl-C): the next run resumes there. */
  signal?: AbortSignal;
}

/** The run was asked to stop (SyncOptions.signal). */
class SyncStopped extends Error {}

/**
 * A window ends this long before now: Amazon refuses a `LastUpdatedBefore` closer to the request
 * than 2 minutes, and any marketplace may show an update a little after its update date.
 */
export const SETTLE_MS = 2 * 60_000;
/** A run's hold on its source, renewed with every page; a run that died frees it when it lapses. */
export const LEASE_MS = 15 * 60_000;
/** 429s in a row on one page before the run gives up (the page is read again next run). */
const MAX_RATE_LIMIT_WAITS = 10;

/** The marketplace robots: the sources `parcelbot sync` and the scheduler read. */
export function marketplaceSources(registry: RobotRegistry): string[] {
  return registry
    .all()
    .filter((definition) => definition.capabilities.orders)
    .map((definition) => definition.id);
}

/**
 * Reads a marketplace's orders changed since the last run and brings them to the shipments:
 * shipments created or updated from orders with a tracking number, promises brought to the
 * shipments of orders that name none (by order reference), the rest counted, bad orders reported.
 *
 * Page by page, each page's writes and the sync's position are one transaction, so the cursor
 * never passes an order not stored and a run that stops (crash, fault, lease lost) is resumed by
 * the next at the page it was on. Idempotent: orders read again change nothing. One run per
 * source at a time (a lease in the store): a second one returns `busy` at once; a run that
 * outlived its lease and was taken over returns `lease_lost`, having written nothing more.
 * Asked to stop (options.signal), a run stops before its next page or wait: `stopped`.
 */
export async function syncMarketplace(app: SyncApp, source: string, options: SyncOptions = {}): Promise<SyncReport> {
  const definition = marketplaceDefinition(app.registry, source);
  const store = await app.store();
  const { clock } = app;
  const { signal } = options;
  const throwIfStopped = () => {
    if (signal?.aborted) throw new SyncStopped();
  };
  // A wait cut short by the signal ends the run; so does one that ignored it (a test's).
  const wait: Wait = async (ms) => {
    await (options.wait ?? sleep)(ms, signal);
    throwIfStopped();
  };
  const report = emptyReport(source, clock.now());
  const leaseId = randomUUID();
  const state = await store.marketplaceSync.claim(source, leaseId, clock.now(), LEASE_MS);
  if (!state) return { ...report, outcome: 'busy' };
  const logger = app.logger.child({ source, syncRun: leaseId });
  const robot = app.robot(source);
  const core = app.config.core;
  const pacer = new Pacer(app.config.rateLimits[source], clock, wait);
  const leaseUntil = () => new Date(clock.now().getTime() + LEASE_MS);
  const rules: PlanRules = { carriesTracking: definition.capabilities.orders!.carriesTracking, checkCarrier: carrierCheck(app.registry) };

  async function readPage(query: OrderPageQuery): Promise<OrderPage> {
    if (!robot.readOrderPage) throw new RobotError('ROBOT_NOT_CONFIGURED', `${source} cannot list its orders by page`);
    for (let attempt = 1, waits = 0; ; ) {
      await pacer.next();
      try {
        return await robot.readOrderPage(query);
      } catch (error) {
        const failure = asRobotError(error);
        const decision = decideOnFailure(failure, attempt, core.TRACK_ATTEMPTS);
        if (decision.action === 'give_up' || (decision.action === 'wait' && ++waits > MAX_RATE_LIMIT_WAITS)) throw failure;
        if (decision.action === 'wait') report.rateLimitWaits += 1;
        else report.retries += 1;
        logger.info({ code: failure.code, attempt }, 'marketplace page failed: waiting before asking again');
        await wait(decision.action === 'wait' ? decision.ms : core.TRACK_BACKOFF_MS * 2 ** (attempt - 1));
        if (decision.action === 'retry') attempt += 1;
      }
    }
  }

  /** Every page of the window from `page`; a stored page token the marketplace refuses restarts the window once. */
  async function readWindow(window: { from: string; to: string }, page: string | undefined): Promise<void> {
    report.window = window;
    let token = page;
    for (;;) {
      throwIfStopped();
      let read: OrderPage;
      try {
        read = await readPage({ updatedFrom: window.from, updatedTo: window.to, page: token });
      } catch (error) {
        if (token === undefined || token !== page || !(error instanceof RobotError) || error.code !== 'CARRIER_BAD_REQUEST') throw error;
        logger.info({ code: error.code }, 'the page a stopped run left is refused: reading its window again from the start');
        await store.marketplaceSync.restartWindow(source, leaseId);
        token = undefined;
        continue;
      }
      const plan = planPage(read, rules);
      const counts = await transactionRetryingDeadlocks(store.db, async (tx) => {
        const written = await applyPage(plan, tx, clock.now());
        await new MarketplaceSyncRepository(tx).pageDone(source, leaseId, read.next, leaseUntil());
        return written;
      });
      countPage(report, read, plan, counts);
      if (read.next === undefined) return;
      token = read.next;
    }
  }

  /** The window a stopped run left, then the one up to now. */
  async function readWindows(start: SyncState): Promise<void> {
    if (start.windowEnd !== undefined && start.cursor !== undefined) await readWindow({ from: start.cursor, to: start.windowEnd }, start.pageToken);
    const now = clock.now().getTime();
    const from = start.windowEnd ?? start.cursor ?? new Date(now - core.MARKETPLACE_SYNC_LOOKBACK_DAYS * 86_400_000).toISOString();
    const to = new Date(now - SETTLE_MS).toISOString();
    if (Date.parse(to) <= Date.parse(from)) return;
    await store.marketplaceSync.startWindow(source, leaseId, { from, to }, leaseUntil());
    await readWindow({ from, to }, undefined);
  }

  /** The run to its end, recorded with its lease; a write after the lease was lost throws LeaseLostError. */
  async function runAndRecord(start: SyncState): Promise<SyncReport> {
    try {
      await readWindows(start);
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      if (signal?.aborted) {
        // Each page read is stored with the position after it: giving the lease back is all that is left.
        await store.marketplaceSync.release(source, leaseId);
        logger.info({ pages: report.pages }, 'marketplace sync stopped between pages: the next run resumes there');
        return { ...report, outcome: 'stopped', finishedAt: clock.now().toISOString() };
      }
      const failure = asRobotError(error);
      report.error = { code: failure.code, message: failure.message };
      if (failure.code === 'ROBOT_NOT_CONFIGURED' && report.pages === 0) {
        await store.marketplaceSync.release(source, leaseId);
        return { ...report, outcome: 'not_configured' };
      }
      report.outcome = 'failed';
      const day = clock.now().toISOString().slice(0, 10);
      // One exception per source, fault and day: a sync failing every 15 minutes opens one, not 96.
      await store.exceptions.open({ carrier: source, trackingNumber: '', code: failure.code, message: `marketplace sync: ${failure.message}`, evidence: failure.evidence, jobId: `sync:${source}:${failure.code}:${day}`, openedAt: clock.now() });
    }
    report.finishedAt = clock.now().toISOString();
    await store.marketplaceSync.finish(source, leaseId, report.outcome === 'failed' ? 'failed' : 'completed', report, clock.now());
    const { badOrders: _listed, ...counts } = report;
    logger[report.outcome === 'failed' ? 'warn' : 'info'](counts, 'marketplace sync finished');
    return report;
  }

  try {
    return await runAndRecord(state);
  } catch (error) {
    if (!(error instanceof LeaseLostError)) throw error;
    // The run that took over holds the source and records its own run: nothing to write, no fault to open.
    logger.warn({ pages: report.pages }, 'marketplace sync outlived its lease and another run took over: stopped');
    return { ...report, outcome: 'lease_lost', error: { code: 'LEASE_LOST', message: error.message }, finishedAt: clock.now().toISOString() };
  }
}

function marketplaceDefinition(registry: RobotRegistry, source: string): RobotDefinition {
  const definition = registry.find(source);
  if (!definition?.capabilities.orders) throw new Error(`"${source}" is not a marketplace: expected one of ${marketplaceSources(registry).join(', ')}`);
  return definition;
}

/** A tracking number checked by the robot of its carrier; a carrier no tracking robot is, refused. */
function carrierCheck(registry: RobotRegistry) {
  return (carrierId: string, trackingNumber: string): string | null => {
    const robot = registry.tracker(carrierId);
    if (!robot) return `no robot tracks carrier "${carrierId.slice(0, 40)}"`;
    return robot.checkTrackingNumber(trackingNumber);
  };
}
