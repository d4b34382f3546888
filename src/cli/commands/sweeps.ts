import { formatLocalDateTime } from '../../domain/local-time.ts';
import { interruptOrphanSweeps } from '../../jobs/sweep-session.ts';
import type { App } from '../../main.ts';
import { EXIT } from '../cli-error.ts';
import { leftWaitingLine, sweepJson } from './sweep.ts';

/** The recorded sweeps, newest first: when, who started them, how they ended, their counts. */
export async function sweepsCommand(app: App, options: { json?: boolean; limit: number }): Promise<number> {
  await interruptOrphanSweeps(app);
  const sweeps = await (await app.store()).sweeps.list(options.limit);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(sweeps.map(sweepJson))}\n`);
    return EXIT.ok;
  }
  if (sweeps.length === 0) {
    process.stdout.write('no sweep yet\n');
    return EXIT.ok;
  }
  process.stdout.write('started           trigger    state        runs  checked  not found  refused  failed  sweep\n');
  for (const sweep of sweeps) {
    const counts = [sweep.checked, sweep.notFound, sweep.rejected, sweep.failed].map((count, column) => String(count).padStart([7, 9, 7, 6][column] ?? 0));
    process.stdout.write(
      `${formatLocalDateTime(sweep.startedAt)}  ${sweep.trigger.padEnd(9)}  ${sweep.state.padEnd(11)}  ${String(sweep.runs).padStart(4)}  ${counts.join('  ')}  ${sweep.id}\n`,
    );
    const leftWaiting = leftWaitingLine(sweep);
    if (leftWaiting) process.stdout.write(`  ${leftWaiting}\n`);
  }
  return EXIT.ok;
}
