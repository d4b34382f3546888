import type { App } from '../main.ts';
import { sleep } from './fault-switch.ts';
import type { ChaosParcel } from './parcel-plan.ts';

/** A look-up an agent asked for during the run: its job, which the store must show finished. */
export interface AskedLookup {
  jobId: string;
  carrier: string;
  trackingNumber: string;
}

/**
 * Agents asking "where is my parcel?" during the run, through the queues as the CLI and the API
 * do: the plan's look-ups spread over `durationMs` (a parcel looked up three times is a customer
 * calling back: above CONTACTS_TARGET, a manager case), in the order of a seeded shuffle.
 */
export async function runAgentLookups(app: App, parcels: readonly ChaosParcel[], durationMs: number, random: () => number, asked: AskedLookup[], signal: AbortSignal): Promise<void> {
  const calls = parcels.flatMap((parcel) => Array.from({ length: parcel.lookups }, () => parcel));
  for (let index = calls.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [calls[index], calls[other]] = [calls[other]!, calls[index]!];
  }
  const pauseMs = calls.length === 0 ? 0 : durationMs / calls.length;
  for (const [index, parcel] of calls.entries()) {
    if (signal.aborted) return;
    asked.push(await lookUp(app, parcel.carrier, parcel.trackingNumber, `agent-${index % 7}`, false));
    await sleep(pauseMs);
  }
}

/**
 * The parcels delivered later: once the replacement sent for one is delivered (read by a sweep),
 * its carrier reports the original delivered too (its story switched in the simulator) and the
 * customer calls: an agent's look-up reads it fresh, and with both delivered the verdict is
 * `delivered_twice` (a return label). Returns the parcels switched.
 */
export async function deliverLater(app: App, fixturesUrl: string, parcels: readonly ChaosParcel[], asked: AskedLookup[], signal: AbortSignal): Promise<string[]> {
  const waiting = new Set(parcels.filter((parcel) => parcel.deliveredLater).map((parcel) => parcel.trackingNumber));
  const switched: string[] = [];
  const store = await app.store();
  while (waiting.size > 0 && !signal.aborted) {
    const ready = await store.db.query<{ tracking_number: string }>(
      `select o.tracking_number from shipments o join shipments r on r.reshipment_of = o.id
       where o.carrier = 'laposte' and o.tracking_number in (select jsonb_array_elements_text($1::jsonb)) and r.status = 'delivered'`,
      [JSON.stringify([...waiting])],
    );
    for (const { tracking_number: trackingNumber } of ready) {
      waiting.delete(trackingNumber);
      const response = await fetch(`${fixturesUrl}/_control/laposte/parcels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackingNumber, scenario: 'delivered' }) });
      if (!response.ok) throw new Error(`the La Poste simulator refused the delivered story of ${trackingNumber}: ${response.status}`);
      asked.push(await lookUp(app, 'laposte', trackingNumber, 'agent-twice', true));
      switched.push(trackingNumber);
    }
    await sleep(2000);
  }
  return switched;
}

async function lookUp(app: App, carrier: string, trackingNumber: string, agent: string, refresh: boolean): Promise<AskedLookup> {
  const job = await app.queues.addAgentLookup(carrier, trackingNumber, agent, { refresh });
  return { jobId: job.id ?? '', carrier, trackingNumber };
}
