import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_REDIS_URL, deleteKeys } from '../testing/test-app.ts';
import { AgentsPresence } from './agents-presence.ts';

// On a real Redis, each presence with connections of its own, as each process has.
let prefix: string;
let connections: Redis[];
let stops: (() => void)[];
const errors: Error[] = [];

beforeEach(() => {
  prefix = `test-${randomBytes(5).toString('hex')}`;
  connections = [];
  stops = [];
  errors.length = 0;
});
afterEach(async () => {
  for (const stop of stops) stop();
  await Promise.all(connections.map((connection) => connection.quit()));
  await deleteKeys(prefix);
  expect(errors).toEqual([]);
});

function connect(): Redis {
  const redis = new Redis(TEST_REDIS_URL);
  connections.push(redis);
  return redis;
}

/** A follower's subscriber is closed by its stop, the rest after each test. */
function presence(awayAfterMs: number): AgentsPresence {
  return new AgentsPresence({ connection: connect(), connect: () => new Redis(TEST_REDIS_URL), prefix, awayAfterMs, onError: (error) => errors.push(error) });
}

/** What a follower was told, in order, and when (ms since the epoch). */
async function follower(of: AgentsPresence): Promise<{ told: boolean[]; at: number[] }> {
  const told: boolean[] = [];
  const at: number[] = [];
  const { ready, stop } = of.follow((present) => {
    told.push(present);
    at.push(Date.now());
  });
  stops.push(stop);
  await ready;
  return { told, at };
}

describe('AgentsPresence', () => {
  it("tells a running follower of an agent's look-up at once, and that agents are away once none came for AGENTS_AWAY_AFTER", async () => {
    const { told, at } = await follower(presence(800));
    expect(told).toEqual([]);
    const desk = presence(800);
    desk.announce();
    await vi.waitFor(() => expect(told).toEqual([true]), { timeout: 2000 });
    await vi.waitFor(() => expect(told).toEqual([true, false]), { timeout: 5000 });
    // A timer never fires early: a millisecond's leeway for its rounding.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(799);
  });

  it('tells a follower that starts while agents are present at once, and away when what is left of their time is up', async () => {
    presence(1500).announce();
    const redis = connect();
    await vi.waitFor(async () => expect(await redis.pttl(`${prefix}:agents-present`)).toBeGreaterThan(0), { timeout: 2000 });
    const { told } = await follower(presence(1500));
    expect(told).toEqual([true]);
    await vi.waitFor(() => expect(told).toEqual([true, false]), { timeout: 5000 });
  });

  it('a look-up while agents are present keeps them present: one "present", one "away" after the last look-up', async () => {
    const { told, at } = await follower(presence(1500));
    const desk = presence(1500);
    desk.announce();
    await vi.waitFor(() => expect(told).toEqual([true]), { timeout: 2000 });
    // Past the one announcement a second a process makes, and before the first one's time is up.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const lastAt = Date.now();
    desk.announce();
    await vi.waitFor(() => expect(told).toEqual([true, false]), { timeout: 5000 });
    expect(at[1]! - lastAt).toBeGreaterThanOrEqual(1499);
  });

  it('announces once a second at most from one process, however many look-ups it enqueues', async () => {
    const messages: string[] = [];
    const listener = connect();
    listener.on('message', (channel: string) => messages.push(channel));
    await listener.subscribe(`${prefix}:agents-present`);
    const desk = presence(60_000);
    for (let lookup = 0; lookup < 50; lookup++) desk.announce();
    await vi.waitFor(() => expect(messages).toHaveLength(1), { timeout: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages).toHaveLength(1);
  });
});
