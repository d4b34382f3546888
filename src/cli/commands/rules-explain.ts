import { loadConfig } from '../../config.ts';
import { checkTrackingNumberShape, normalizeTrackingNumber } from '../../domain/tracking-number.ts';
import type { Clock } from '../../infra/clock.ts';
import type { RobotRegistry } from '../../robot-kit/registry.ts';
import { formatExplanation } from '../../rules/format-explanation.ts';
import { explainShipment } from '../../rules/judge-shipment.ts';
import { loadRules } from '../../rules/load-rules.ts';
import { type Trigger, TRIGGERS } from '../../rules/rule-facts.ts';
import { thresholdsFromConfig } from '../../rules/thresholds.ts';
import { loadShipmentRecord } from '../../store/load-shipment-record.ts';
import { openDatabase } from '../../store/open-database.ts';
import { createStore, type Store } from '../../store/store.ts';
import { EXIT, InputError } from '../cli-error.ts';

export interface RulesExplainOptions {
  carrier?: string;
  at?: string;
  trigger?: string;
  json?: boolean;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instantOption(value: string | undefined, clock: Clock): Date {
  if (value === undefined) return clock.now();
  const at = new Date(value);
  if (!ISO_INSTANT.test(value) || Number.isNaN(at.getTime())) {
    throw new InputError('--at: expected an ISO 8601 time with its offset, such as 2026-05-26T09:00:00+02:00 or 2026-05-26T07:00:00Z');
  }
  return at;
}

function triggerOption(value: string | undefined): Trigger {
  if (value === undefined) return 'check';
  const trigger = TRIGGERS.find((known) => known === value);
  if (!trigger) throw new InputError(`--trigger: expected one of ${TRIGGERS.join(', ')}`);
  return trigger;
}

async function findShipment(store: Store, trackingNumber: string, carrier: string | undefined) {
  const known = await store.shipments.findByTrackingNumber(trackingNumber);
  const candidates = carrier ? known.filter((shipment) => shipment.carrier === carrier.toLowerCase()) : known;
  const [shipment, ...others] = candidates;
  if (!shipment) throw new InputError(`${trackingNumber}: no shipment with this number${carrier ? ` for ${carrier.slice(0, 40)}` : ''} in the store: import it first (parcelbot import)`);
  if (others.length > 0) throw new InputError(`${trackingNumber}: known for ${candidates.map((s) => s.carrier).join(', ')}: name one with --carrier`);
  return shipment;
}

/** Every rule over one stored shipment at a time: matched or not and why, and the decisions with their times. */
export async function rulesExplainCommand(registry: RobotRegistry, env: NodeJS.ProcessEnv, clock: Clock, rawNumber: string, options: RulesExplainOptions): Promise<number> {
  const trackingNumber = normalizeTrackingNumber(rawNumber);
  const problem = checkTrackingNumberShape(trackingNumber);
  if (problem) throw new InputError(`tracking number: ${problem}`);
  const now = instantOption(options.at, clock);
  const trigger = triggerOption(options.trigger);
  const { core } = loadConfig(env, registry.all());
  const ruleSet = await loadRules(core.PARCELBOT_RULES, thresholdsFromConfig(core));
  // Only the store: no Redis, no robots. A PGlite store in use by a worker answers StoreBusyError.
  const db = await openDatabase({ databaseUrl: core.DATABASE_URL, dataDir: core.PARCELBOT_DATA_DIR, schema: core.PARCELBOT_DB_SCHEMA, statementTimeoutMs: core.DATABASE_STATEMENT_TIMEOUT_MS });
  try {
    const store = createStore(db);
    const shipment = await findShipment(store, trackingNumber, options.carrier);
    const record = await loadShipmentRecord(store, shipment, now);
    const explained = explainShipment(ruleSet, record, trigger, now);
    if (options.json) {
      const { verdict, evaluation } = explained;
      const body = { trackingNumber, carrier: shipment.carrier, at: now.toISOString(), trigger, rules: ruleSet.source, verdict, contacts: record.contacts, reshipments: record.reshipments, decisions: evaluation.decisions, trace: evaluation.trace };
      process.stdout.write(`${JSON.stringify(body)}\n`);
    } else {
      process.stdout.write(formatExplanation({ ruleSet, record, explained, now }));
    }
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
