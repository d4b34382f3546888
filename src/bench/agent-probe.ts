/**
 * An agents' desk in a process of its own, as `parcelbot serve` is: look-ups one after the other
 * through the agents' lane, each asking the carrier, timed from enqueue to answer. Prints
 * {"ready":true} once listening, then, after BENCH_LOOKUPS look-ups or at SIGTERM, the latency
 * figures as one JSON line. Settings: the app's (REDIS_URL, PARCELBOT_QUEUE_PREFIX...),
 * BENCH_AGENT_NUMBERS, a JSON file of La Poste tracking numbers, and BENCH_AGENT_RATE, look-ups
 * started per second at most (0, the default: each as soon as the last is answered).
 */
import { readFile } from 'node:fs/promises';
import { createApp } from '../main.ts';
import { percentile } from './stats.ts';

const numbers = JSON.parse(await readFile(process.env.BENCH_AGENT_NUMBERS ?? '', 'utf8')) as string[];
const most = Number(process.env.BENCH_LOOKUPS ?? Number.POSITIVE_INFINITY);
const rate = Number(process.env.BENCH_AGENT_RATE ?? 0);
const gapMs = rate > 0 ? 1000 / rate : 0;
let stopped = false;
/** Ends the wait between two look-ups: a stop does not wait for the next one's turn. */
let endWait = (): void => {};
process.once('SIGTERM', () => {
  stopped = true;
  endWait();
});
const app = await createApp({ env: process.env });
const events = await app.queues.queueEvents('laposte', 'agents');
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const samples: number[] = [];
for (let index = 0; index < most && !stopped; index++) {
  const started = performance.now();
  const job = await app.queues.addAgentLookup('laposte', numbers[index % numbers.length]!, 'bench-agent', { refresh: true });
  await job.waitUntilFinished(events, 60_000);
  const tookMs = performance.now() - started;
  samples.push(tookMs);
  if (tookMs < gapMs && !stopped) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, gapMs - tookMs);
      endWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
process.stdout.write(`${JSON.stringify({ lookups: samples.length, p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) })}\n`);
await app.close();
