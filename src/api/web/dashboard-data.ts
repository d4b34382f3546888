import type { ServerContext } from '../server-context.ts';
import type { DashboardData } from './dashboard-page.ts';

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 30;

/** The dashboard's figures: each one an aggregate the database computes, whatever the store's size. */
export async function dashboardData(context: ServerContext): Promise<Omit<DashboardData, 'actor' | 'csrf'>> {
  const { app } = context;
  const now = app.clock.now();
  const since = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const store = await app.store();
  const stats = store.operationsStats;
  return {
    windowDays: WINDOW_DAYS,
    lateByCarrier: await stats.lateByCarrier(since),
    openByAge: await stats.openExceptionsByAge(now),
    followUps: await store.followUps.countsByKindAndState(),
    contactsPerCase: await stats.contactsPerCase(since),
    robots: await stats.robotHealth(new Date(now.getTime() - DAY_MS)),
  };
}
