/**
 * An agents' desk in a process of its own, as `parcelbot serve` is: look-ups one after the other
 * through the agents' lane, each asking the carrier, timed from enqueue to answer. Prints
 * {"ready":true} once listening, then, after BENCH_LOOKUPS look-ups or at SIGTERM, the latency
 * figures as one JSON line. Settings: the app's (REDIS_URL, PARCELBOT_QUEUE_PREFIX...) and
 * BENCH_AGENT_NUMBERS, a JSON file of La Poste tracking numbers.
 */
import { readFile } from 'node:fs/promises';
import { createApp } from '../main.ts';
import { percentile } from './stats.ts';

const numbers = JSON.parse(await readFile(process.env.BENCH_AGENT_NUMBERS ?? '', 'utf8')) as string[];
const most = Number(process.env.BENCH_LOOKUPS ?? Number.POSITIVE_INFINITY);
let stopped = false;
process.once('SIGTERM', () => {
  stopped = true;
});
const app = await createApp({ env: process.env });
const events = await app.queues.queueEvents('laposte', 'agents');
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const samples: number[] = [];
for (let index = 0; index < most && !stopped; index++) {
  const started = performance.now();
  const job = await app.queues.addAgentLookup('laposte', numbers[index % numbers.length]!, 'bench-agent', { refresh: true });
  await job.waitUntilFinished(events, 60_000);
  samples.push(performance.now() - started);
}
process.stdout.write(`${JSON.stringify({ lookups: samples.length, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) })}\n`);
await app.close();
