/** Anything with a claim window: a claim to file, a filed claim awaiting documents. */
export interface Windowed {
  windowClosesAt?: string;
}

/**
 * The ones whose window closes after `now` and at most `days` days later, soonest first: what
 * the scheduler raises alerts for (CLAIM_WINDOW_ALERT_DAYS). Pure. Closed windows are left out:
 * it is too late to act on them.
 */
export function closingWithin<T extends Windowed>(items: readonly T[], now: Date, days: number): T[] {
  const [from, until] = [now.getTime(), now.getTime() + days * 86_400_000];
  const closesAt = (item: T) => (item.windowClosesAt === undefined ? Number.NaN : Date.parse(item.windowClosesAt));
  return items.filter((item) => closesAt(item) > from && closesAt(item) <= until).sort((a, b) => closesAt(a) - closesAt(b));
}
