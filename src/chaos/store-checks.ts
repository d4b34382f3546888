import type { Shipment } from '../domain/shipment.ts';
import type { App } from '../main.ts';
import { ERROR_CODES } from '../robot-kit/error-codes.ts';
import { SHIPMENT_COLUMNS, toShipment } from '../store/shipment-repository.ts';
import type { AskedLookup } from './agent-traffic.ts';
import { expectedFollowUps } from './expected-follow-ups.ts';
import { type Figure, info, mustBeNone } from './figures.ts';

export interface StoreCheckInput {
  app: App;
  /** The agents' look-ups the run enqueued. */
  asked: readonly AskedLookup[];
}

/**
 * What the store says after the run: every parcel checked or its failure explained, the
 * follow-ups the rules owe there once each, every failure an exception with a known code and a
 * message, no follow-up left running or queued to nowhere.
 */
export async function storeChecks({ app, asked }: StoreCheckInput): Promise<Figure[]> {
  const store = await app.store();
  const sql = store.db;
  const shipments = (await sql.query(`select ${SHIPMENT_COLUMNS} from shipments order by id`)).map(toShipment);
  const explained = new Set((await sql.query<{ key: string }>(`select distinct carrier || ':' || tracking_number as key from exceptions where followup_id is null`)).map((row) => row.key));
  const keyOf = (shipment: Shipment) => `${shipment.carrier}:${shipment.trackingNumber}`;
  const imported = shipments.filter((shipment) => shipment.reshipmentOf === undefined);
  const unchecked = shipments.filter((shipment) => !shipment.lastCheckedAt);
  const figures: Figure[] = [
    info('checked', 'parcels imported', imported.length),
    info('checked', 'replacement parcels (reshipments shipped)', shipments.length - imported.length),
    info('checked', 'parcels checked (last_checked_at set)', shipments.length - unchecked.length),
    info('checked', 'parcels not checked, with an exception saying why', unchecked.filter((shipment) => explained.has(keyOf(shipment))).length),
    mustBeNone('checked', 'parcels neither checked nor explained', unchecked.filter((shipment) => !explained.has(keyOf(shipment))).map(keyOf)),
  ];

  const followUps = await sql.query<{ id: string; shipment_id: number; kind: string; rule_id: string; state: string; after: string | null }>(
    `select id, shipment_id, kind, rule_id, state, params->>'after' as after from followups`,
  );
  const judged = shipments.filter((shipment) => shipment.verdictAt !== undefined);
  // A parcel last read by an agent's look-up was last judged as one (a sweep's rules may not have seen it yet).
  const lastReadByAgent = new Set(
    (
      await sql.query<{ key: string }>(
        `select s.carrier || ':' || s.tracking_number as key from shipments s
         where exists (select 1 from lookups l where l.carrier = s.carrier and l.tracking_number = s.tracking_number and l.finished_at = s.last_checked_at)`,
      )
    ).map((row) => row.key),
  );
  const expected = await expectedFollowUps(store, app.rules, judged, (shipment) => (lastReadByAgent.has(keyOf(shipment)) ? 'lookup' : 'sweep'), app.clock.now());
  const reshipped = new Set(followUps.filter((followUp) => followUp.kind === 'reshipment').map((followUp) => followUp.shipment_id));
  const lateUnshipped = judged.filter(
    (shipment) =>
      (shipment.verdict === 'late' || shipment.verdict === 'lost_suspected') &&
      (shipment.declaredValue ?? 0) >= app.config.core.AUTO_REFUND_MAX &&
      shipment.reshipmentOf === undefined &&
      !lastReadByAgent.has(keyOf(shipment)) &&
      !reshipped.has(shipment.id),
  );
  const actual = new Set(followUps.map((followUp) => followUp.id));
  const duplicates = await sql.query<{ key: string }>(
    `select shipment_id || ' ' || kind || ' ' || rule_id || ' (' || count(*) || 'x)' as key from followups group by shipment_id, kind, rule_id having count(*) > 1`,
  );
  const byState = countBy(followUps.map((followUp) => followUp.state));
  figures.push(
    info('follow-ups', 'follow-ups proposed', followUps.length),
    info('follow-ups', 'by state', Object.entries(byState).map(([state, count]) => `${state} ${count}`).join(', ') || '-'),
    info('follow-ups', 'by kind', Object.entries(countBy(followUps.map((followUp) => followUp.kind))).map(([kind, count]) => `${kind} ${count}`).join(', ') || '-'),
    info('follow-ups', 'owed by the rules (re-derived from the store)', expected.size),
    mustBeNone('follow-ups', 'owed follow-ups missing', [...expected].filter(([id]) => !actual.has(id)).map(([id, owed]) => `${id} (${owed.shipment.trackingNumber}, ${owed.ruleId})`)),
    mustBeNone('follow-ups', 'follow-ups twice for one shipment, kind and rule', duplicates.map((row) => row.key)),
    mustBeNone('follow-ups', `late parcels worth ${app.config.core.AUTO_REFUND_MAX} or more without a reshipment`, lateUnshipped.map(keyOf)),
  );

  const failedUnexplained = await sql.query<{ id: string }>(`select f.id from followups f where f.state = 'failed' and not exists (select 1 from exceptions e where e.followup_id = f.id)`);
  const badExceptions = await sql.query<{ id: number; code: string; message: string }>(`select id, code, message from exceptions`);
  const lookups = new Map((await sql.query<{ job_id: string; finished: boolean; outcome: string | null }>(`select job_id, finished_at is not null as finished, outcome from lookups`)).map((row) => [row.job_id, row]));
  const lookupExceptions = new Set((await sql.query<{ job_id: string }>(`select job_id from exceptions where followup_id is null`)).map((row) => row.job_id));
  figures.push(
    info('failures', 'exceptions opened', badExceptions.length),
    info('failures', 'by code', Object.entries(countBy(badExceptions.map((row) => row.code))).sort(([, a], [, b]) => b - a).map(([code, count]) => `${code} ${count}`).join(', ') || '-'),
    mustBeNone('failures', 'failed follow-ups without an exception', failedUnexplained.map((row) => row.id)),
    mustBeNone('failures', 'exceptions without a known code and a message', badExceptions.filter((row) => !knownCode(row.code) || row.message.trim() === '').map((row) => `#${row.id} ${row.code}`)),
    info('failures', "agents' look-ups asked", asked.length),
    mustBeNone('failures', "agents' look-ups never answered", asked.filter((lookup) => !lookups.get(lookup.jobId)?.finished).map((lookup) => `${lookup.jobId} ${lookup.trackingNumber}`)),
    mustBeNone('failures', "failed look-ups without an exception", asked.filter((lookup) => lookups.get(lookup.jobId)?.outcome === 'failed' && !lookupExceptions.has(lookup.jobId)).map((lookup) => lookup.jobId)),
  );

  const running = followUps.filter((followUp) => followUp.state === 'running').map((followUp) => followUp.id);
  figures.push(mustBeNone('stuck', 'follow-ups left running', running), mustBeNone('stuck', 'follow-ups proposed with no job to run them', await orphanedProposals(app, followUps)));
  const uncertain = await sql.query<{ key: string }>(`select e.key from effects e join followups f on f.id = e.followup_id where e.state = 'started' and f.state <> 'failed'`);
  figures.push(mustBeNone('effects', 'effects left started outside a failed follow-up', uncertain.map((row) => row.key)));
  return figures;
}

/**
 * Follow-ups `proposed` that no job will run: none in the queue, or its job already finished.
 * One waiting for another (`after`) that is not settled yet is waiting, not orphaned.
 */
async function orphanedProposals(app: App, followUps: readonly { id: string; shipment_id: number; rule_id: string; kind: string; state: string; after: string | null }[]): Promise<string[]> {
  const orphans: string[] = [];
  for (const followUp of followUps.filter((candidate) => candidate.state === 'proposed')) {
    const prerequisite = followUp.after && followUps.find((other) => other.shipment_id === followUp.shipment_id && other.rule_id === followUp.rule_id && other.kind === followUp.after);
    if (prerequisite && !['done', 'failed', 'cancelled'].includes(prerequisite.state)) continue;
    const state = await (await app.followUps.queue.queue.getJob(followUp.id))?.getState();
    if (state === undefined || state === 'completed' || state === 'failed' || state === 'unknown') orphans.push(`${followUp.id} (job ${state ?? 'none'})`);
  }
  return orphans;
}

function knownCode(code: string): boolean {
  return Object.hasOwn(ERROR_CODES, code) || code.startsWith('TASK_');
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
