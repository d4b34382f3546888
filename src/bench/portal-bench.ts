import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { BrowserProvider, findChromium } from '../infra/browser.ts';
import { systemClock } from '../infra/clock.ts';
import { createHttpClient } from '../infra/http-client.ts';
import { createPortalSessions } from '../infra/portal-sessions.ts';
import { deleteKeysWithPrefix } from '../infra/redis.ts';
import type { PortalSessions, Robot, RobotContext } from '../robot-kit/index.ts';
import { RobotRegistry } from '../robot-kit/registry.ts';
import { inParallel, perSecond } from './stats.ts';

export interface PortalFigures {
  /** Relay portal look-ups (search + parcel page) in a browser: one logged-in session shared, pages in parallel. */
  warmBrowserPerSecond: number;
  /** The same, one look-up at a time. */
  warmBrowserSequentialPerSecond: number;
  /** A new browser and a new login for every look-up. */
  freshBrowserPerSecond: number;
  /** Seller back-office order reads over plain HTTP with a cookie jar, one logged-in session shared. */
  httpPerSecond: number;
}

export interface PortalBenchOptions {
  redisUrl: string;
  /** The fixture server's settings (RELAY_PORTAL_URL, SELLER_PORTAL_URL...). */
  fixturesEnv: Record<string, string>;
  /** Robots' look-ups measured in each mode (the fresh mode's are the slowest). */
  lookups: number;
  /** Pages working at once for one account (PORTAL_MAX_PAGES). */
  pagesInParallel: number;
}

/** A relay-portal number the simulator knows, in transit (fixtures/relay-portal/parcels.json). */
const RELAY_NUMBER = 'RP2150938476';
/** The account without a second factor: a fresh login per look-up is what is measured, not authenticator codes. */
const RELAY_ACCOUNT = { RELAY_PORTAL_LOGIN: 'agent@shop.example', RELAY_PORTAL_PASSWORD: 'relay-agent-Pa55word', RELAY_PORTAL_TOTP_SECRET: undefined };

/**
 * Portal robots on this machine: a warm shared session in a browser, a fresh browser and login
 * per look-up, and plain HTTP. The simulators run in another process (their cost is not ours).
 */
export async function measurePortals(options: PortalBenchOptions): Promise<PortalFigures> {
  const registry = await RobotRegistry.load();
  const relayPortal = registry.find('relay-portal')!;
  const sellerPortal = registry.find('seller-portal')!;
  const logger = pino({ level: 'silent' });
  const http = createHttpClient();
  const redis = new Redis(options.redisUrl);
  const prefix = `bench-portal-${randomBytes(4).toString('hex')}`;
  const opened: { close(): Promise<void> }[] = [];
  const sessions = (browsers: BrowserProvider): PortalSessions => {
    const portal = createPortalSessions({ browsers, http, redis, prefix: `${prefix}-${opened.length}`, maxPagesPerAccount: options.pagesInParallel, sessionTtlMs: 3_600_000, timeoutMs: 15_000, logger });
    opened.push(portal);
    return portal;
  };
  const context = (portal: PortalSessions): RobotContext => ({ http, clock: systemClock, logger, portal, tokens: { get: () => Promise.reject(new Error('portal robots use no token')), invalidate: async () => {} } });
  const relay = (portal: PortalSessions): Robot => relayPortal.create(context(portal), relayPortal.config.parse({ ...options.fixturesEnv, ...RELAY_ACCOUNT }));
  const lookUp = async (robot: Robot) => {
    const [outcome] = await robot.track!([RELAY_NUMBER]);
    if (outcome?.kind !== 'found') throw new Error(`the relay portal did not find ${RELAY_NUMBER}: ${JSON.stringify(outcome)}`);
  };
  const indexes = Array.from({ length: options.lookups }, (_, index) => index);
  const browsers = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), logger);
  try {
    const warm = relay(sessions(browsers));
    await lookUp(warm);
    const timed = async (run: () => Promise<void>) => {
      const started = performance.now();
      await run();
      return perSecond(options.lookups, performance.now() - started);
    };
    const warmBrowserSequentialPerSecond = await timed(() => inParallel(indexes, 1, () => lookUp(warm)));
    const warmBrowserPerSecond = await timed(() => inParallel(indexes, options.pagesInParallel, () => lookUp(warm)));
    const freshBrowserPerSecond = await timed(() =>
      inParallel(indexes, 1, async () => {
        const own = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), logger);
        try {
          await lookUp(relay(sessions(own)));
        } finally {
          await own.close();
        }
      }),
    );

    const seller = sellerPortal.create(context(sessions(browsers)), sellerPortal.config.parse(options.fixturesEnv));
    const orders = await seller.listOrders!({});
    const orderRefs = orders.map((order) => order.orderRef);
    const httpLookups = Array.from({ length: options.lookups * 50 }, (_, index) => orderRefs[index % orderRefs.length]!);
    const started = performance.now();
    await inParallel(httpLookups, options.pagesInParallel, async (orderRef) => {
      if (!(await seller.readOrder!(orderRef))) throw new Error(`the seller portal lost order ${orderRef}`);
    });
    const httpPerSecond = perSecond(httpLookups.length, performance.now() - started);
    return { warmBrowserPerSecond, warmBrowserSequentialPerSecond, freshBrowserPerSecond, httpPerSecond };
  } finally {
    await Promise.all(opened.map((portal) => portal.close()));
    await browsers.close();
    // Each portal's keys are under a prefix of its own (`<prefix>-<n>:`).
    for (let index = 0; index < opened.length; index++) await deleteKeysWithPrefix(redis, `${prefix}-${index}`);
    await redis.quit();
    await http.close();
  }
}
