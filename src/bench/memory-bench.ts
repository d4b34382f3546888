import { randomBytes } from 'node:crypto';
import { createApp } from '../main.ts';
import { deleteKeysWithPrefix } from '../infra/redis.ts';
import { descendantsOf, peakRssMiB, pssMiB, spawnTs } from './processes.ts';

export interface BrowserMemoryFigures {
  /** Peak RSS of the worker process itself after portal look-ups in a browser. */
  workerPeakRssMiB: number;
  /** Memory of the browser it started (PSS of all its processes), measured after the look-ups. */
  browserPssMiB: number;
}

/**
 * A `parcelbot worker` process working the relay portal's queue: `lookups` agents' look-ups in
 * its browser, then its memory and its browser's. The simulators run elsewhere (`fixturesEnv`).
 */
export async function measureBrowserWorker(options: { databaseUrl: string; redisUrl: string; fixturesEnv: Record<string, string>; lookups: number }): Promise<BrowserMemoryFigures> {
  const prefix = `bench-memory-${randomBytes(4).toString('hex')}`;
  const env = { ...options.fixturesEnv, DATABASE_URL: options.databaseUrl, PARCELBOT_DB_SCHEMA: prefix.replace(/-/g, '_'), REDIS_URL: options.redisUrl, PARCELBOT_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', FRESH_FOR: '0s', RELAY_PORTAL_RATE_LIMIT: 'off' };
  const app = await createApp({ env });
  const worker = spawnTs('src/cli/main.ts', ['worker'], { ...process.env, ...env });
  try {
    for (let waited = 0; (await app.queues.workersOnline('relay-portal', 'agents')) === 0; waited += 100) {
      if (waited > 60_000) throw new Error('the worker did not come online within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const events = await app.queues.queueEvents('relay-portal', 'agents');
    for (let index = 0; index < options.lookups; index++) {
      const job = await app.queues.addAgentLookup('relay-portal', 'RP2150938476', 'bench-agent', { refresh: true });
      await job.waitUntilFinished(events, 60_000);
    }
    const pid = worker.process.pid ?? 0;
    const browser = await Promise.all((await descendantsOf(pid)).map(pssMiB));
    return { workerPeakRssMiB: (await peakRssMiB(pid)) ?? Number.NaN, browserPssMiB: Math.round(browser.reduce((sum, mib) => sum + mib, 0)) };
  } finally {
    await worker.stop();
    const store = await app.store();
    await store.db.exec(`drop schema if exists ${prefix.replace(/-/g, '_')} cascade`);
    const redis = app.redis.connect();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await app.close();
  }
}
