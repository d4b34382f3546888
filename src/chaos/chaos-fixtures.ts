/**
 * The simulators of a chaos run, in a process of their own (started by src/chaos/run-chaos.ts
 * through src/bench/processes.ts), so the run can kill workers freely while the carriers, the OMS,
 * Colissimo and the SMTP server keep their counts. Reads the plan from the JSON file named by
 * CHAOS_PLAN (src/chaos/parcel-plan.ts): every parcel in its carrier's simulator, and the OMS
 * shipping each replacement at once with a La Poste parcel already delivered. The carriers' own
 * quotas are off: faults are switched on over `/_control/<id>/faults` instead. Prints one JSON
 * line, {url, env}, and stops on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { startFixtureServer } from '../../fixtures/server.ts';
import type { ChaosPlan } from './parcel-plan.ts';

const plan = JSON.parse(readFileSync(process.env.CHAOS_PLAN ?? '', 'utf8')) as ChaosPlan;
const server = await startFixtureServer({
  laposte: { rateLimit: false },
  dhl: { quota: false },
  fedex: { config: { rateLimit: false, dailyQuota: false } },
  oms: { shipAfterMs: 0, parcels: plan.reshipmentNumbers.map((trackingNumber) => ({ carrier: 'laposte', trackingNumber })) },
});
for (const { carrier, trackingNumber, scenario } of plan.parcels) {
  if (carrier === 'fedex') server.fedex.addParcel({ trackingNumber, scenario });
  else server[carrier].addParcel(trackingNumber, scenario);
}
for (const trackingNumber of plan.reshipmentNumbers) server.laposte.addParcel(trackingNumber, 'delivered');
process.stdout.write(`${JSON.stringify({ url: server.url, env: server.env })}\n`);
const stop = (): void => void server.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
