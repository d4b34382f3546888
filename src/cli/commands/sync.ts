import type { App } from '../../main.ts';
import { marketplaceSources, syncMarketplace } from '../../marketplace/sync-marketplace.ts';
import type { SyncReport } from '../../marketplace/sync-report.ts';
import { EXIT, InputError } from '../cli-error.ts';

/**
 * Syncs one marketplace, or every configured one (`all`). Exit 0 when every source asked
 * completed (bad orders are reported, not failures), 2 when a source asked by name is not
 * configured or none is, 1 when a run failed or another was running.
 */
export async function syncCommand(app: App, options: { source?: string; json?: boolean }): Promise<number> {
  const sources = marketplaceSources(app.registry);
  const asked = options.source ?? 'all';
  if (asked !== 'all' && !sources.includes(asked)) throw new InputError(`--source: expected ${[...sources, 'all'].join(', ')}`);
  const reports: SyncReport[] = [];
  for (const source of asked === 'all' ? sources : [asked]) reports.push(await syncMarketplace(app, source));
  const configured = reports.filter((report) => report.outcome !== 'not_configured');
  if (configured.length === 0) throw new InputError(`no marketplace to sync: ${reports.map((report) => report.error?.message).join('; ')}`);
  process.stdout.write(options.json ? `${JSON.stringify(reports)}\n` : reports.map(formatReport).join(''));
  return configured.every((report) => report.outcome === 'completed') ? EXIT.ok : EXIT.failure;
}

export function formatReport(report: SyncReport): string {
  if (report.outcome === 'not_configured') return `${report.source}: not configured (${report.error?.message})\n`;
  if (report.outcome === 'busy') return `${report.source}: another sync of this source is running; nothing done\n`;
  const lines = [
    `${report.source}: ${report.outcome === 'completed' ? 'synced' : 'FAILED'} orders updated ${report.window ? `${report.window.from} .. ${report.window.to}` : '(nothing new)'}`,
    `  read ${report.read} orders in ${report.pages} pages: ${report.created} shipments created, ${report.updated} updated, ${report.unchanged} unchanged`,
    `  ${report.awaitingShipment} awaiting shipment, ${report.cancelled} cancelled, ${report.unmatched} with no shipment of that order, ${report.bad} bad`,
  ];
  for (const bad of report.badOrders.slice(0, 50)) lines.push(`  bad order ${bad.orderRef ?? '(no order id)'}: ${bad.reason}`);
  if (report.bad > 50) lines.push(`  ... and ${report.bad - 50} more bad orders (all in --json, up to 500)`);
  if (report.error) lines.push(`  failed: ${report.error.code}: ${report.error.message} (the next run resumes where this one stopped)`);
  return `${lines.join('\n')}\n`;
}
