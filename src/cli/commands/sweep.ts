import { formatLocalDateTime } from '../../domain/local-time.ts';
import type { SweepCounts, SweepRecord } from '../../domain/sweep.ts';
import { SweepNotResumableError, resumeSweep, startSweep, unservedLeftWaiting } from '../../jobs/sweep-session.ts';
import type { App } from '../../main.ts';
import { EXIT, InputError } from '../cli-error.ts';

export interface SweepOptions {
  json?: boolean;
  /** `--resume` alone: the newest interrupted sweep; `--resume <id>`: that one. */
  resume?: string | true;
}

/**
 * Checks every shipment due now (or resumes an interrupted sweep): workers online do the work,
 * else this process does, at the background's CPU priority. Ctrl-C or SIGTERM stops it cleanly,
 * recorded as interrupted.
 */
export async function sweepCommand(app: App, options: SweepOptions): Promise<number> {
  app.runAsBackground();
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const showProgress = !options.json && process.stderr.isTTY;
  const hooks = {
    signal: stop.signal,
    onProgress: showProgress ? (counts: SweepCounts) => process.stderr.write(`\rsweep: ${finished(counts)}/${counts.enqueued} parcels checked`) : undefined,
  };
  try {
    const record =
      options.resume === undefined
        ? await startSweep(app, { trigger: 'manual', ...hooks })
        : await resumeSweep(app, { id: options.resume === true ? undefined : options.resume, ...hooks });
    if (!record) throw new InputError('no interrupted sweep to resume (parcelbot sweeps lists them)');
    if (showProgress) process.stderr.write('\n');
    if (record.state === 'interrupted') {
      process.stderr.write(`parcelbot: sweep ${record.id} interrupted after ${finished(record)} of ${record.enqueued} parcels: resume it with parcelbot sweep --resume ${record.id}\n`);
      return EXIT.failure;
    }
    process.stdout.write(options.json ? `${JSON.stringify(sweepJson(record))}\n` : formatSummary(record));
    const unserved = await unservedLeftWaiting(app, record);
    if (unserved.length > 0) process.stderr.write(`parcelbot: no worker serves ${unserved.join(', ')} now: the parcels left waiting are checked once the hold lifts only if a worker runs then (parcelbot worker, or parcelbot scheduler --work)\n`);
    return EXIT.ok;
  } catch (error) {
    throw error instanceof SweepNotResumableError ? new InputError(error.message) : error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** Parcels whose check is over, whatever it gave. */
function finished(counts: SweepCounts): number {
  return counts.checked + counts.rejected + counts.failed;
}

/** A sweep as `--json` prints it (`parcelbot sweep`, `parcelbot sweeps`). */
export function sweepJson({ id, batches: _batches, eventCursors: _cursors, ...record }: SweepRecord): Record<string, unknown> {
  return { sweepId: id, ...record };
}

export function formatSummary(record: SweepRecord): string {
  const lines = [`sweep ${record.id}: ${record.checked} parcels checked, ${record.failed} failed, ${record.rejected} refused`];
  for (const [status, count] of Object.entries(record.byStatus).sort((a, b) => b[1] - a[1])) lines.push(`  ${status.padEnd(18)} ${count}`);
  if (record.failures.length > 0) {
    lines.push('failures (each is in the exception queue):');
    for (const failure of record.failures.slice(0, 20)) lines.push(`  ${failure.carrier} ${failure.trackingNumber}: ${failure.reason}`);
    if (record.failed > 20) lines.push(`  ... and ${record.failed - 20} more`);
  }
  const leftWaiting = leftWaitingLine(record);
  if (leftWaiting) lines.push(leftWaiting);
  if (!record.countsExact) lines.push('counts may be short: events of jobs that finished while the sweep was stopped were trimmed before its resume');
  return `${lines.join('\n')}\n`;
}

/** The carriers whose held queues a sweep did not wait for, on one line; undefined when it waited for every job. */
export function leftWaitingLine(record: SweepRecord): string | undefined {
  if (record.leftWaiting.length === 0) return undefined;
  const carriers = record.leftWaiting.map(({ carrier, parcels, until }) => `${carrier} ${parcels} parcels until ${formatLocalDateTime(until)}`);
  return `left waiting in queues held by a rate limit (checked once the hold lifts): ${carriers.join(', ')}`;
}
