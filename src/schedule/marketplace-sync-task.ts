import { marketplaceSources, syncMarketplace } from '../marketplace/sync-marketplace.ts';
import type { SyncReport } from '../marketplace/sync-report.ts';
import type { App } from '../main.ts';

/** Every MARKETPLACE_SYNC_CRON: each configured marketplace's orders changed since its last sync. */
export async function syncConfiguredMarketplaces(app: App): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const source of marketplaceSources(app.registry)) {
    const report = await syncMarketplace(app, source);
    if (report.outcome === 'not_configured') continue;
    app.logger.info({ source, outcome: report.outcome, read: report.read, created: report.created, updated: report.updated, bad: report.bad }, 'marketplace synced');
    reports.push(report);
  }
  return reports;
}
