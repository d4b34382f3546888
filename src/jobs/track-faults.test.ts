import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorId } from '../../fixtures/server.ts';
import { testNumberFinder } from '../../fixtures/testing/test-parcels.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/**
 * Carrier faults from every simulator, through the real queue: classified, retried or not as
 * their policy says, and recorded as exceptions with the last payload as evidence.
 */
const CARRIERS: { id: SimulatorId; prefix: string; credential: string }[] = [
  { id: 'laposte', prefix: 'LAPOSTE', credential: 'LAPOSTE_API_KEY' },
  { id: 'dhl', prefix: 'DHL', credential: 'DHL_API_KEY' },
  { id: 'ups', prefix: 'UPS', credential: 'UPS_CLIENT_SECRET' },
  { id: 'fedex', prefix: 'FEDEX', credential: 'FEDEX_CLIENT_SECRET' },
];

describe.each(CARRIERS)('$id faults through the queue', ({ id, prefix, credential }) => {
  const numberFor = testNumberFinder(id);
  let world: TestWorld;
  afterEach(async () => world.close());

  async function lookUpWith(faults: Record<string, unknown>, env: Record<string, string> = {}) {
    // The carrier's own quota is not under test here: DHL's 1 call/s would only slow retries down.
    world = await startTestWorld({ env: { [`${prefix}_RATE_LIMIT`]: 'off', ...env } });
    const simulator = world.fixtures[id] as { setFaults(settings: unknown): void; stats(): { totalCalls: number } };
    simulator.setFaults(faults);
    const { app } = world;
    const events = await app.queues.queueEvents(id, 'agents');
    const job = await app.queues.addAgentLookup(id, numberFor('in-transit'), 'agent-1');
    const workers = app.startWorkers([id], 1);
    try {
      const outcome = await job.waitUntilFinished(events, 30_000).then(
        (result) => ({ result, error: undefined }),
        (error: Error) => ({ result: undefined, error: error.message }),
      );
      const finished = await app.queues.queue(id, 'agents').getJob(job.id ?? '');
      const exceptions = await world.db.query<{ code: string; message: string; evidence: { status?: number; body?: string } }>('select code, message, evidence from exceptions');
      return { ...outcome, attemptsMade: finished?.attemptsMade, calls: simulator.stats().totalCalls, exceptions };
    } finally {
      await workers.close();
    }
  }

  it('retries 5xx with backoff, then opens an exception with the last payload as evidence', async () => {
    const run = await lookUpWith({ fault: 'http-503' });
    expect(run.error).toMatch(/CARRIER_UNAVAILABLE/);
    expect(run.calls).toBe(3);
    expect(run.exceptions).toHaveLength(1);
    expect(run.exceptions[0]).toMatchObject({ code: 'CARRIER_UNAVAILABLE', evidence: { status: 503, body: expect.any(String) } });
    const lookups = await world.db.query('select outcome, error_code from lookups');
    expect(lookups).toEqual([{ outcome: 'failed', error_code: 'CARRIER_UNAVAILABLE' }]);
  });

  it('recovers from a passing 5xx on the next attempt, with no exception', async () => {
    const run = await lookUpWith({ fault: 'http-500', times: 1 });
    expect(run.result?.results[0]).toMatchObject({ outcome: 'found', status: 'in_transit' });
    expect(run.calls).toBe(2);
    expect(run.exceptions).toEqual([]);
  });

  it('waits for Retry-After on 429 without using up an attempt', async () => {
    const run = await lookUpWith({ fault: 'rate-limited', times: 3, retryAfterSeconds: 1 });
    expect(run.result?.results[0]).toMatchObject({ outcome: 'found' });
    // Three 429s and the answer: more calls than TRACK_ATTEMPTS (3) allows failures.
    expect(run.calls).toBe(4);
    // BullMQ counts the successful attempt too: 1 means the three 429s used none.
    expect(run.attemptsMade).toBe(1);
  });

  it('retries a timeout', async () => {
    const run = await lookUpWith({ fault: 'timeout', times: 1 }, { [`${prefix}_TIMEOUT_MS`]: '300' });
    expect(run.result?.results[0]).toMatchObject({ outcome: 'found' });
    expect(run.calls).toBe(2);
  });

  it('does not retry refused credentials, and never shows them', async () => {
    const run = await lookUpWith({}, { [credential]: 'not-the-right-credential' });
    expect(run.error).toMatch(/CARRIER_AUTH_REFUSED/);
    expect(run.calls).toBeLessThanOrEqual(1);
    expect(run.exceptions[0]?.code).toBe('CARRIER_AUTH_REFUSED');
    expect(JSON.stringify(run.exceptions)).not.toContain('not-the-right-credential');
  });

  // A body that is not JSON fails the job; results of the wrong shape may fail their number alone
  // (La Poste, FedEx): either way the look-up fails once, with an exception holding the payload.
  it.each(['invalid-json', 'wrong-shape'])('does not retry a %s body, and keeps it as evidence', async (fault) => {
    const run = await lookUpWith({ fault });
    expect(run.calls).toBe(1);
    expect(run.exceptions).toHaveLength(1);
    expect(run.exceptions[0]?.code).toBe('CARRIER_BAD_PAYLOAD');
    expect(run.exceptions[0]?.evidence.body?.length).toBeGreaterThan(0);
    const lookups = await world.db.query('select outcome, error_code from lookups');
    expect(lookups).toEqual([{ outcome: 'failed', error_code: 'CARRIER_BAD_PAYLOAD' }]);
  });
});
