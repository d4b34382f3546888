import { afterEach, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import type { FaultSettings } from '../../fixtures/laposte/faults.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';

/** Carrier faults from the simulator, through the real queue: classified, retried or not, and recorded. */
describe('track job faults', () => {
  let world: TestWorld;
  afterEach(async () => world.close());

  async function lookUpWith(faults: FaultSettings, env: Record<string, string> = {}) {
    world = await startTestWorld({ env });
    world.fixtures.laposte.setFaults(faults);
    const { app } = world;
    const events = await app.queues.queueEvents('laposte');
    const job = await app.queues.addAgentLookup('laposte', numberFor('in-transit'), 'agent-1');
    const workers = app.startWorkers(['laposte'], 1);
    try {
      const outcome = await job.waitUntilFinished(events, 30_000).then(
        (result) => ({ result, error: undefined }),
        (error: Error) => ({ result: undefined, error: error.message }),
      );
      const finished = await app.queues.queue('laposte').getJob(job.id ?? '');
      const exceptions = await world.db.query<{ code: string; message: string; evidence: { status?: number; body?: string } }>('select code, message, evidence from exceptions');
      return { ...outcome, attemptsMade: finished?.attemptsMade, calls: world.fixtures.laposte.stats().totalCalls, exceptions };
    } finally {
      await workers.close();
    }
  }

  it('retries 5xx with backoff, then opens an exception with the last payload as evidence', async () => {
    const run = await lookUpWith({ fault: 'http-503' });
    expect(run.error).toMatch(/CARRIER_UNAVAILABLE/);
    expect(run.calls).toBe(3);
    expect(run.exceptions).toHaveLength(1);
    expect(run.exceptions[0]).toMatchObject({ code: 'CARRIER_UNAVAILABLE', evidence: { status: 503, body: expect.stringContaining('SERVICE_UNAVAILABLE') } });
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
    const run = await lookUpWith({ fault: 'timeout', times: 1 }, { LAPOSTE_TIMEOUT_MS: '300' });
    expect(run.result?.results[0]).toMatchObject({ outcome: 'found' });
    expect(run.calls).toBe(2);
  });

  it('does not retry refused credentials', async () => {
    const run = await lookUpWith({}, { LAPOSTE_API_KEY: 'not-the-right-key' });
    expect(run.error).toMatch(/CARRIER_AUTH_REFUSED/);
    expect(run.calls).toBe(1);
    expect(run.exceptions[0]?.code).toBe('CARRIER_AUTH_REFUSED');
    expect(JSON.stringify(run.exceptions)).not.toContain('not-the-right-key');
  });

  it.each(['invalid-json', 'wrong-shape'] as const)('does not retry a %s body, and keeps it as evidence', async (fault) => {
    const run = await lookUpWith({ fault });
    expect(run.error).toMatch(/CARRIER_BAD_PAYLOAD/);
    expect(run.calls).toBe(1);
    expect(run.exceptions[0]?.evidence.body?.length).toBeGreaterThan(0);
  });
});
