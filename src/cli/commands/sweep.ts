import type { App } from '../../main.ts';
import { type SweepSummary, runSweep } from '../../jobs/sweep.ts';
import { EXIT } from '../cli-error.ts';

/** Tracks every active shipment: workers online do the work, else this process does. */
export async function sweepCommand(app: App, options: { json?: boolean }): Promise<number> {
  const store = await app.store();
  const carriers = app.registry.trackers().map((robot) => robot.id);
  const offline = [];
  for (const carrier of carriers) if ((await app.queues.workersOnline(carrier)) === 0) offline.push(carrier);
  const localWorkers = offline.length > 0 ? app.startWorkers(offline) : undefined;
  const showProgress = !options.json && process.stderr.isTTY;
  try {
    const summary = await runSweep({
      shipments: store.shipments,
      queues: app.queues,
      registry: app.registry,
      onProgress: showProgress ? ({ enqueued, done }) => process.stderr.write(`\rsweep: ${done}/${enqueued} parcels checked`) : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    return EXIT.ok;
  } finally {
    await localWorkers?.close();
  }
}

export function formatSummary(summary: SweepSummary): string {
  const lines = [`sweep ${summary.sweepId}: ${summary.checked} parcels checked, ${summary.failed} failed, ${summary.rejected} refused`];
  for (const [status, count] of Object.entries(summary.byStatus).sort((a, b) => b[1] - a[1])) lines.push(`  ${status.padEnd(18)} ${count}`);
  if (summary.failures.length > 0) {
    lines.push('failures (each is in the exception queue):');
    for (const failure of summary.failures.slice(0, 20)) lines.push(`  ${failure.carrier} ${failure.trackingNumber}: ${failure.reason}`);
    if (summary.failures.length > 20) lines.push(`  ... and ${summary.failures.length - 20} more`);
  }
  return `${lines.join('\n')}\n`;
}
