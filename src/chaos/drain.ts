import type { App } from '../main.ts';
import type { AskedLookup } from './agent-traffic.ts';
import { sleep } from './fault-switch.ts';
import { unfinishedByQueue } from './queue-checks.ts';
import { systemClock } from '../infra/clock.ts';

/** What is still going on, in a few words; undefined once nothing is. */
export async function workInProgress(app: App, asked: readonly AskedLookup[]): Promise<string | undefined> {
  const store = await app.store();
  const [{ unchecked, running }] = (await store.db.query<{ unchecked: number; running: number }>(
    `select (select count(*)::int from shipments s where s.last_checked_at is null and not exists
              (select 1 from exceptions e where e.carrier = s.carrier and e.tracking_number = s.tracking_number)) as unchecked,
            (select count(*)::int from followups where state = 'running') as running`,
  )) as [{ unchecked: number; running: number }];
  const finished = await store.db.query<{ n: number }>(
    `select count(*)::int as n from lookups where finished_at is not null and job_id in (select jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(asked.map((lookup) => lookup.jobId))],
  );
  const now = systemClock.now().getTime();
  let jobs = 0;
  for (const unfinished of (await unfinishedByQueue(app, now)).values()) jobs += unfinished;
  const pending = asked.length - (finished[0]?.n ?? 0);
  const parts = [unchecked && `${unchecked} parcels unchecked`, running && `${running} follow-ups running`, pending && `${pending} look-ups unanswered`, jobs && `${jobs} jobs live or due`].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Waits until nothing is going on, seen twice in a row a few seconds apart (a job finishing can
 * start another); gives up after `timeoutMs`. Returns what was still going on then, if anything.
 */
export async function drain(app: App, asked: readonly AskedLookup[], timeoutMs: number, say: (line: string) => void): Promise<string | undefined> {
  const deadline = systemClock.now().getTime() + timeoutMs;
  let quietBefore = false;
  let last: string | undefined;
  for (;;) {
    last = await workInProgress(app, asked);
    if (last === undefined && quietBefore) return undefined;
    quietBefore = last === undefined;
    if (systemClock.now().getTime() > deadline) return last ?? 'not quiet twice in a row';
    if (last) say(`draining: ${last}`);
    await sleep(3000);
  }
}
