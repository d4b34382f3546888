import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server.ts';
import { numberFor } from '../../fixtures/ups/testing.ts';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const SCRIPT = fileURLToPath(new URL('./token-race.script.ts', import.meta.url));
const NUMBERS = ['in-transit', 'delivered', 'out-for-delivery', 'receiver-absent'].map(numberFor);

/** A child process whose stdout lines can be awaited one by one. */
function worker(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; nextLine(): Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  child.on('exit', (code) => {
    if (code !== 0) for (const waiter of waiting.splice(0)) waiter(`exited with ${code}: ${stderr}`);
  });
  return {
    child,
    nextLine: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('the UPS token shared by two processes', () => {
  const redis = new Redis(REDIS_URL);
  const prefix = `test-ups-race-${randomBytes(4).toString('hex')}`;
  let server: FixtureServer;

  beforeAll(async () => {
    // Token answers take a while, so that both processes miss the cache at the same time.
    server = await startFixtureServer({ ups: { tokenLatencyMs: 400 } });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await server.close();
  });

  it('is fetched once, not once per process, when both track at the same moment', async () => {
    const env = { ...server.env, REDIS_URL, TOKEN_CACHE_PREFIX: prefix, NUMBERS: NUMBERS.join(',') };
    const workers = [worker(env), worker(env)];
    for (const { nextLine } of workers) expect(await nextLine()).toBe('ready');
    for (const { child } of workers) child.stdin.write('go\n');

    const results = await Promise.all(workers.map(async ({ nextLine }) => JSON.parse(await nextLine())));
    await Promise.all(workers.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : undefined)));

    for (const outcomes of results) expect(outcomes).toEqual(NUMBERS.map((trackingNumber) => ({ trackingNumber, kind: 'found' })));
    const stats = server.ups.stats();
    expect(stats.tokenRequests).toBe(1);
    expect(stats.refusedTokens).toBe(0);
    expect(stats.totalCalls).toBe(2 * NUMBERS.length);
    expect(new Set(stats.transIds).size).toBe(2 * NUMBERS.length);
    expect(workers.map(({ child }) => child.exitCode)).toEqual([0, 0]);
  });
});
