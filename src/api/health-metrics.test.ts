import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberFor } from '../../fixtures/laposte/testing.ts';
import { decisionOf, storedShipment } from '../../fixtures/testing/follow-ups.ts';
import { checkHealth } from './health.ts';
import { type ApiWorld, startApiWorld } from './testing/api-world.ts';
import { workQueues } from './work-queues.ts';

describe('/health and /metrics', () => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await startApiWorld({ env: { FOLLOWUP_APPROVAL_ABOVE: '100' } });
  });
  afterAll(async () => world?.close());

  it('says everything is up, and which queue no worker serves', async () => {
    const workers = world.app.startWorkers(['laposte'], 1);
    await Promise.all(workers.workers.map((worker) => worker.waitUntilReady()));
    try {
      const response = await world.server.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(200);
      const report = response.json();
      expect(report).toMatchObject({ status: 'ok', down: [], checks: { redis: { ok: true }, database: { ok: true }, queues: { 'track-laposte': { ok: true, workers: 1 }, 'lookup-laposte': { ok: true, workers: 1 } } } });
      expect(report.warnings).toContain('no worker serves lookup-dhl: look-ups of its carrier answer 503 until one starts');
      expect(report.warnings).toContain('no worker serves track-dhl: sweeps and scheduled checks of its carrier wait until one starts');
      expect(report.warnings).toContain('no worker serves followups: follow-ups due (approved ones included) wait until one starts');
      expect(report.checks.queues.followups).toMatchObject({ ok: true, workers: 0 });
      expect(report.warnings.join()).not.toContain('-laposte');
    } finally {
      await workers.close();
    }
  });

  it('reports Redis down when it does not answer', async () => {
    // A real client to a port where nothing listens: what a stopped Redis looks like.
    const unreachable = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    unreachable.on('error', () => {});
    try {
      const report = await checkHealth({ redis: unreachable, store: world.app.store, queues: workQueues(world.app) });
      expect(report).toMatchObject({ status: 'down', down: ['redis'], checks: { redis: { ok: false, detail: expect.any(String) }, database: { ok: true } } });
    } finally {
      unreachable.disconnect();
    }
  });

  it('exposes jobs by queue and state, robot look-ups, latency and errors, open exceptions and follow-ups in Prometheus text', async () => {
    const store = await world.app.store();
    const at = (iso: string) => new Date(iso);
    for (const [index, seconds] of [2, 4, 30].entries()) {
      await store.lookups.start({ jobId: `lookup-m${index}`, trackingNumber: numberFor('in-transit'), carrier: 'laposte', requestedBy: 'alice', requestedAt: at('2026-03-10T07:00:00Z') });
      await store.lookups.finish(`lookup-m${index}`, { finishedAt: new Date(at('2026-03-10T07:00:00Z').getTime() + seconds * 1000), outcome: index === 2 ? 'failed' : 'found' });
    }
    await store.exceptions.open({ carrier: 'laposte', trackingNumber: numberFor('in-transit'), code: 'CARRIER_TIMEOUT', message: 'no answer in 10 s', jobId: 'lookup-m2', openedAt: at('2026-03-10T07:00:30Z') });
    const dear = await storedShipment(store, world.clock.now(), { declaredValue: 300 });
    for (const kind of ['reshipment', 'carrier_claim', 'customer_email'] as const) await world.app.followUps.propose(dear, decisionOf(kind));
    await world.app.queues.addAgentLookup('dhl', '1234567890', 'alice');

    const response = await world.server.inject({ method: 'GET', url: '/metrics', headers: world.bearer('admin') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    const lines = response.body.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'parcelbot_queue_jobs{queue="lookup-dhl",state="waiting"} 1',
        'parcelbot_queue_jobs{queue="track-dhl",state="waiting"} 0',
        'parcelbot_queue_workers{queue="track-laposte"} 0',
        'parcelbot_robot_lookups_24h{robot="laposte",result="answered"} 2',
        'parcelbot_robot_lookups_24h{robot="laposte",result="failed"} 1',
        'parcelbot_robot_latency_seconds{robot="laposte",quantile="0.5"} 4',
        'parcelbot_robot_errors_24h{robot="laposte"} 1',
        'parcelbot_exceptions_open{carrier="laposte",code="CARRIER_TIMEOUT"} 1',
        'parcelbot_followups{kind="reshipment",state="awaiting_approval"} 1',
        'parcelbot_followups{kind="carrier_claim",state="awaiting_approval"} 1',
        'parcelbot_followups{kind="customer_email",state="proposed"} 1',
        'parcelbot_queue_jobs{queue="followups",state="waiting"} 1',
        'parcelbot_queue_workers{queue="followups"} 0',
      ]),
    );
    const p95 = Number(lines.find((line) => line.startsWith('parcelbot_robot_latency_seconds{robot="laposte",quantile="0.95"}'))?.split(' ')[1]);
    expect(p95).toBeCloseTo(27.4, 5);
  });
});
