import { marketplaceSources, syncMarketplace } from '../marketplace/sync-marketplace.ts';
import type { SyncReport } from '../marketplace/sync-report.ts';
import type { App } from '../main.ts';

/**
 * Every MARKETPLACE_SYNC_CRON: each configured marketplace's orders changed since its last sync.
 * The scheduler stopping (`signal`) stops the running sync before its next page, and the rest.
 */
export async function syncConfiguredMarketplaces(app: App, signal?: AbortSignal): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const source of marketplaceSources(app.registry)) {
    if (signal?.aborted) break;
    const report = await syncMarketplace(app, source, { signal });
    if (report.outcome === 'not_configured') continue;
    app.logger.info({ source, outcome: report.outcome, read: report.read, created: report.created, updated: report.updated, bad: report.bad }, 'marketplace synced');
    reports.push(report);
  }
  return reports;
}
