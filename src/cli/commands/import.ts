import type { App } from '../../main.ts';
import { importShipmentFile } from '../../import/import-shipments.ts';
import { EXIT } from '../cli-error.ts';

/** Loads shipments; bad rows are listed with line and reason. Exit 2 when any row was bad. */
export async function importCommand(app: App, file: string, options: { strict?: boolean; json?: boolean }): Promise<number> {
  const openDb = async () => (await app.store()).db;
  const report = await importShipmentFile(file, { strict: options.strict ?? false, registry: app.registry, openDb, now: app.clock.now() });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    const bad = report.problems.length;
    const head = report.refused
      ? `nothing imported (--strict): ${bad} of ${report.rows} rows are bad`
      : `imported ${report.inserted + report.updated} of ${report.rows} rows: ${report.inserted} new, ${report.updated} updated${bad ? `, ${bad} bad rows skipped` : ''}`;
    process.stdout.write(`${head}\n`);
    for (const problem of report.problems) process.stdout.write(`  line ${problem.line}: ${problem.field}: ${problem.message}\n`);
  }
  return report.problems.length > 0 ? EXIT.badInput : EXIT.ok;
}
