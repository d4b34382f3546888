import type { App } from '../../main.ts';
import { marketplaceSources, syncMarketplace } from '../../marketplace/sync-marketplace.ts';
import type { SyncReport } from '../../marketplace/sync-report.ts';
import { EXIT, InputError } from '../cli-error.ts';

/**
 * Syncs one marketplace, or every configured one (`all`). Exit 0 when every source asked
 * completed (bad orders are reported, not failures), 2 when a source asked by name is not
 * configured or none is, 1 when a run failed, was stopped (Ctrl-C) or another was running.
 */
export async function syncCommand(app: App, options: { source?: string; json?: boolean }): Promise<number> {
  const sources = marketplaceSources(app.registry);
  const asked = options.source ?? 'all';
  if (asked !== 'all' && !sources.includes(asked)) throw new InputError(`--source: expected ${[...sources, 'all'].join(', ')}`);
  // Ctrl-C or SIGTERM stops the run between two pages and gives its lease back: the next run resumes there.
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const reports: SyncReport[] = [];
  try {
    for (const source of asked === 'all' ? sources : [asked]) {
      if (stop.signal.aborted) break;
      reports.push(await syncMarketplace(app, source, { signal: stop.signal }));
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const configured = reports.filter((report) => report.outcome !== 'not_configured');
  if (configured.length === 0) throw new InputError(`no marketplace to sync: ${reports.map((report) => report.error?.message).join('; ')}`);
  process.stdout.write(options.json ? `${JSON.stringify(reports)}\n` : reports.map(formatReport).join(''));
  return configured.every((report) => report.outcome === 'completed') ? EXIT.ok : EXIT.failure;
}

const HEADLINE: Record<Exclude<SyncReport['outcome'], 'not_configured' | 'busy' | 'lease_lost'>, string> = { completed: 'synced', failed: 'FAILED', stopped: 'STOPPED' };

export function formatReport(report: SyncReport): string {
  if (report.outcome === 'not_configured') return `${report.source}: not configured (${report.error?.message})\n`;
  if (report.outcome === 'busy') return `${report.source}: another sync of this source is running; nothing done\n`;
  if (report.outcome === 'lease_lost') return `${report.source}: this run outlived its lease and another sync took the source over after ${report.pages} pages; nothing more written\n`;
  const lines = [
    `${report.source}: ${HEADLINE[report.outcome]} orders updated ${report.window ? `${report.window.from} .. ${report.window.to}` : '(nothing new)'}`,
    `  read ${report.read} orders in ${report.pages} pages: ${report.created} shipments created, ${report.updated} updated, ${report.unchanged} unchanged`,
    `  ${report.awaitingShipment} awaiting shipment, ${report.cancelled} cancelled, ${report.unmatched} with no shipment of that order, ${report.bad} bad`,
  ];
  for (const bad of report.badOrders.slice(0, 50)) lines.push(`  bad order ${bad.orderRef ?? '(no order id)'}: ${bad.reason}`);
  if (report.bad > 50) lines.push(`  ... and ${report.bad - 50} more bad orders (all in --json, up to 500)`);
  if (report.outcome === 'stopped') lines.push('  stopped between two pages: the next run resumes where this one stopped');
  if (report.error) lines.push(`  failed: ${report.error.code}: ${report.error.message} (the next run resumes where this one stopped)`);
  return `${lines.join('\n')}\n`;
}
