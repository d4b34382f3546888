import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import type { FixtureServerOptions } from '../../fixtures/server.ts';
import { useFixtureServer } from '../../fixtures/testing/fixture-server.ts';
import { maskedPixels } from '../../fixtures/testing/masked-pixels.ts';
import { keyOnlyTokens, testRobotContext } from '../../fixtures/testing/robot-context.ts';
import { BrowserProvider, findChromium } from '../../src/infra/browser.ts';
import { createHttpClient } from '../../src/infra/http-client.ts';
import { createPortalSessions } from '../../src/infra/portal-sessions.ts';
import type { PortalSessions } from '../../src/robot-kit/index.ts';
import relay from './index.ts';

export const START = '2024-07-10T10:00:00Z';

/** Settings for the demo account without a second factor. */
export const AGENT = { RELAY_PORTAL_LOGIN: DEMO_ACCOUNTS.withoutTotp.email, RELAY_PORTAL_PASSWORD: DEMO_ACCOUNTS.withoutTotp.password, RELAY_PORTAL_TOTP_SECRET: undefined };

/**
 * The robot through the real runtime, for one test file: the fixture server (reset after each
 * test; `serverOptions` as it starts), one browser, real portal sessions on Redis under a prefix
 * of their own for each test, so every test starts logged out; keys, sessions, browser and server
 * are cleaned up after.
 */
export async function useRelayRobot(file: string, serverOptions: Omit<FixtureServerOptions, 'now'> = {}) {
  const fixtures = await useFixtureServer('relay-portal', START, serverOptions);
  const logger = pino({ level: 'silent' });
  const browsers = new BrowserProvider(() => findChromium(undefined), logger);
  const http = createHttpClient();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const opened: { close(): Promise<void> }[] = [];
  let prefix = '';
  let test = 0;

  beforeEach(() => {
    test += 1;
    prefix = `test:relay-portal:${file}:${process.pid}:${test}`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((sessions) => sessions.close()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    await browsers.close();
    await http.close();
    redis.disconnect();
  });

  /**
   * Portal sessions as one process has them; two of them in a test share Redis like two processes.
   * `installation` names another parcelbot on the same portal account (its own keys in Redis);
   * `timeoutMs` is PORTAL_TIMEOUT_MS, which the login lock is measured in.
   */
  function sessions(options: { installation?: string; timeoutMs?: number } = {}): PortalSessions {
    const keys = options.installation ? `${prefix}:${options.installation}` : prefix;
    const portal = createPortalSessions({ browsers, http, redis, prefix: keys, maxPagesPerAccount: 4, sessionTtlMs: 3_600_000, timeoutMs: options.timeoutMs ?? 10_000, logger });
    opened.push(portal);
    return portal;
  }

  /** The robot on the demo account (with a second factor), `env` changing its settings. */
  function robot(env: Record<string, string | undefined> = {}, portal: PortalSessions = sessions()) {
    const settings = Object.fromEntries(Object.entries({ ...fixtures.server.env, ...env }).filter(([, value]) => value !== undefined));
    return relay.create(testRobotContext({ http, clock: fixtures.clock, tokens: keyOnlyTokens('relay portal'), portal }), relay.config.parse(settings));
  }

  /** How many pixels of a PNG screenshot (base64) are Playwright's mask colour: what it painted over. */
  async function maskedPixelsOf(screenshot: string): Promise<number> {
    const [whole] = await maskedPixels(await browsers.browser(), screenshot);
    return whole?.masked ?? 0;
  }

  return {
    ...fixtures,
    portal: fixtures.server['relay-portal'],
    robot,
    sessions,
    maskedPixels: maskedPixelsOf,
    /** The Chromium the robot's pages run in, for a test's own pages (the same fonts, the same layout). */
    browser: () => browsers.browser(),
  };
}
