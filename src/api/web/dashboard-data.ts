import type { ServerContext } from '../server-context.ts';
import type { DashboardData } from './dashboard-page.ts';

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 30;
/** The late rate reads at most this many recent parcels (their timelines feed the verdicts). */
const LATE_RATE_SAMPLE = 5000;
const LATE = new Set(['late', 'delivered_late', 'lost_suspected']);

/** The dashboard's figures, from the store and the ports. */
export async function dashboardData(context: ServerContext): Promise<Omit<DashboardData, 'actor' | 'csrf'>> {
  const { app, ports } = context;
  const now = app.clock.now();
  const since = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const stats = (await app.store()).operationsStats;
  return {
    windowDays: WINDOW_DAYS,
    lateByCarrier: ports.verdicts ? await lateByCarrier(context, since) : null,
    openByAge: await stats.openExceptionsByAge(now),
    followUps: ports.followUps ? await ports.followUps.counts() : null,
    contactsPerCase: await stats.contactsPerCase(since),
    robots: await stats.robotHealth(new Date(now.getTime() - DAY_MS)),
  };
}

async function lateByCarrier(context: ServerContext, since: Date): Promise<{ carrier: string; late: number; total: number }[]> {
  const { items } = await context.shipments.list({ createdFrom: since, limit: LATE_RATE_SAMPLE });
  const byCarrier = new Map<string, { carrier: string; late: number; total: number }>();
  for (const shipment of items) {
    const entry = byCarrier.get(shipment.carrier) ?? { carrier: shipment.carrier, late: 0, total: 0 };
    entry.total += 1;
    if (shipment.verdict && LATE.has(shipment.verdict)) entry.late += 1;
    byCarrier.set(shipment.carrier, entry);
  }
  return [...byCarrier.values()].sort((a, b) => a.carrier.localeCompare(b.carrier));
}
