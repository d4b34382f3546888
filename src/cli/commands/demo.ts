import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { type DemoParcel, loadDemoParcels } from '../../../fixtures/demo/demo-parcels.ts';
import { demoMiraklOrders } from '../../../fixtures/mirakl/demo-orders.ts';
import { startFixtureServer } from '../../../fixtures/server.ts';
import { localDay } from '../../domain/local-time.ts';
import type { Shipment } from '../../domain/shipment.ts';
import { importShipmentFile } from '../../import/import-shipments.ts';
import { startSweep } from '../../jobs/sweep-session.ts';
import type { ListedFollowUp } from '../../store/follow-up-repository.ts';
import { type App, createApp } from '../../main.ts';
import { deleteKeysWithPrefix } from '../../infra/redis.ts';
import { EXIT } from '../cli-error.ts';
import { formatSummary } from './sweep.ts';

/**
 * The whole loop on a laptop: carrier simulators, a fresh embedded store, an import of the demo
 * orders, one sweep, and the table an operations team would look at. Leaves no process behind.
 */
export async function demoCommand(env: NodeJS.ProcessEnv): Promise<number> {
  const dataDir = path.resolve(env.PARCELBOT_DATA_DIR || './.data', 'demo');
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const parcels = loadDemoParcels();
  const fixtures = await startFixtureServer({ mirakl: { extraOrders: demoMiraklOrders(parcels) } });
  const demoEnv = {
    ...env,
    DATABASE_URL: undefined,
    PARCELBOT_DATA_DIR: dataDir,
    PARCELBOT_QUEUE_PREFIX: `demo-${randomBytes(4).toString('hex')}`,
    ...fixtures.env,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  };
  const app = await createApp({ env: demoEnv }).catch(async (error) => {
    await fixtures.close();
    throw error;
  });
  try {
    const file = path.join(dataDir, 'demo-orders.csv');
    await writeFile(file, demoOrdersCsv(parcels, app.clock.now()));
    const store = await app.store();
    const report = await importShipmentFile(file, { strict: true, registry: app.registry, openDb: async () => store.db, now: app.clock.now() });
    process.stdout.write(`imported ${report.inserted} demo orders from ${displayPath(file)}\n`);
    const workers = app.startWorkers(undefined, 8);
    const followUpWorker = app.startFollowUpWorker(4);
    try {
      const summary = await startSweep(app, { trigger: 'manual' });
      // The follow-ups the rules decided run against the order system, SMTP and label simulators.
      await followUpsSettled(app, FOLLOW_UPS_WAIT_MS);
      process.stdout.write(`\n${formatTable(await store.shipments.list(), parcels)}\n\n${formatSummary(summary)}\n${formatFollowUps(await app.followUps.list({}), dataDir, env)}`);
      return summary.failed === 0 ? EXIT.ok : EXIT.failure;
    } finally {
      await Promise.all([workers.close(), followUpWorker.close()]);
    }
  } finally {
    await forgetDemoKeys(app, demoEnv.PARCELBOT_QUEUE_PREFIX);
    await app.close();
    await fixtures.close();
  }
}

/** Business days from today, weekends skipped: enough for demo promises (holidays come with verdicts). */
function businessDaysFrom(today: Date, days: number): string {
  const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const step = days < 0 ? -1 : 1;
  for (let left = Math.abs(days); left > 0; ) {
    date.setUTCDate(date.getUTCDate() + step);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}

/** The demo orders as an import file, promises counted in business days from `today`. */
export function demoOrdersCsv(parcels: readonly DemoParcel[], today: Date): string {
  return stringify(
    parcels.map((parcel) => ({
      tracking_number: parcel.trackingNumber,
      carrier: parcel.carrier,
      order_ref: parcel.orderRef,
      channel: parcel.channel,
      customer_email: parcel.customerEmail,
      customer_lang: parcel.customerLang,
      declared_value: parcel.declaredValue,
      currency: parcel.currency,
      destination_country: parcel.destinationCountry,
      promised_date: businessDaysFrom(today, parcel.promisedInBusinessDays),
    })),
    { header: true },
  );
}

const FOLLOW_UPS_WAIT_MS = 20_000;

/** Waits until no follow-up is waiting to run or running (those due later, or awaiting a manager, stay). */
async function followUpsSettled(app: App, timeoutMs: number): Promise<void> {
  const queue = app.followUps.queue.queue;
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
    if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What the rules decided, by kind and state, and the cases waiting for a manager, with the command
 * that lists them: on the demo's own store (its data dir, and the embedded store even where
 * DATABASE_URL points elsewhere).
 */
function formatFollowUps(followUps: readonly ListedFollowUp[], dataDir: string, env: NodeJS.ProcessEnv): string {
  const counts = new Map<string, number>();
  for (const followUp of followUps) counts.set(`${followUp.kind} ${followUp.state}`, (counts.get(`${followUp.kind} ${followUp.state}`) ?? 0) + 1);
  const lines = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([what, count]) => `  ${String(count).padStart(3)}  ${what.replace(/_/g, ' ')}`);
  const waiting = followUps.filter((followUp) => followUp.state === 'awaiting_approval').length;
  return [
    `follow-ups decided by the rules: ${followUps.length}`,
    ...lines,
    waiting > 0 ? `${waiting} wait for a manager's approval: ${env.DATABASE_URL ? 'DATABASE_URL= ' : ''}PARCELBOT_DATA_DIR=${shellWord(displayPath(dataDir))} parcelbot followups --state awaiting_approval` : '',
  ].filter(Boolean).join('\n').concat('\n');
}

function formatTable(shipments: readonly Shipment[], parcels: readonly DemoParcel[]): string {
  const scenarioOf = new Map(parcels.map((parcel) => [parcel.trackingNumber, parcel.scenario]));
  const rows = shipments.map((shipment) => [
    shipment.trackingNumber,
    shipment.product ?? shipment.carrier,
    scenarioOf.get(shipment.trackingNumber) ?? '',
    shipment.channel ?? '',
    shipment.status,
    shipment.statusReason ?? '',
    shipment.verdict ?? '',
    shipment.promisedTo ?? '',
    localDay(shipment.deliveredAt ?? shipment.estimatedFrom ?? ''),
  ]);
  const header = ['tracking number', 'product', 'scenario', 'channel', 'status', 'reason', 'verdict', 'promised', 'delivered/est.'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The demo's queues, limiter counters and tokens: it leaves nothing behind in a shared Redis. */
async function forgetDemoKeys(app: App, prefix: string): Promise<void> {
  const redis = app.redis.connect();
  await deleteKeysWithPrefix(redis, prefix).finally(() => redis.quit());
}

/** A path as one shell word: quoted when it holds anything but letters, digits and . _ / - */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Relative to where the user stands when that is below it, else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}
