/**
 * The simulators in a process of their own for benchmarks and chaos runs, so that serving
 * carriers never shares an event loop with the workers being measured. Reads the parcels to know
 * from the JSON file named by BENCH_PARCELS ([{carrier, trackingNumber, scenario}]), switches the
 * carriers' own quotas off (the benchmark measures parcelbot, not a carrier's quota), listens on
 * a free port and prints one JSON line: {url, env}.
 */
import { readFileSync } from 'node:fs';
import { startFixtureServer } from '../../fixtures/server.ts';

interface BenchParcel {
  carrier: 'laposte' | 'ups' | 'fedex' | 'dhl';
  trackingNumber: string;
  scenario: string;
}

const parcels: BenchParcel[] = process.env.BENCH_PARCELS ? JSON.parse(readFileSync(process.env.BENCH_PARCELS, 'utf8')) : [];
const server = await startFixtureServer({ laposte: { rateLimit: false }, dhl: { quota: false }, fedex: { config: { rateLimit: false, dailyQuota: false } } });
for (const { carrier, trackingNumber, scenario } of parcels) {
  if (carrier === 'fedex') server.fedex.addParcel({ trackingNumber, scenario });
  else server[carrier].addParcel(trackingNumber, scenario);
}
process.stdout.write(`${JSON.stringify({ url: server.url, env: server.env })}\n`);
const stop = (): void => void server.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
