import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';

/**
 * node-cron fires the ticks but only looks forward; cron-parser (the parser BullMQ uses) walks
 * backwards to find a tick missed while no scheduler ran. Where the two could read an expression
 * differently (both day-of-month and day-of-week set: node-cron ANDs them, cron-parser ORs them),
 * a candidate counts only when node-cron would have fired it too.
 */

/** Why node-cron or cron-parser cannot run this expression, or undefined when both can. */
export function checkCronExpression(expression: string): string | undefined {
  if (!cron.validate(expression)) return 'not a valid cron expression';
  try {
    CronExpressionParser.parse(expression);
    return undefined;
  } catch {
    return 'a cron expression without a previous tick to compute';
  }
}

/**
 * The latest tick of `expression` in `timeZone` at or before `now` and at or after `notBefore`;
 * undefined when there is none in that span.
 */
export function lastDueTick(expression: string, timeZone: string, now: Date, notBefore: Date): Date | undefined {
  if (notBefore > now) return undefined;
  const matcher = cron.createTask(expression, () => {}, { timezone: timeZone });
  try {
    // cron-parser's prev() is strictly before its start: start 1 ms later so a tick at `now` counts.
    const ticks = CronExpressionParser.parse(expression, { currentDate: new Date(now.getTime() + 1), tz: timeZone });
    for (;;) {
      const tick = ticks.prev().toDate();
      if (tick < notBefore) return undefined;
      if (matcher.match(tick)) return tick;
    }
  } catch {
    // cron-parser throws when it runs out of dates to walk back through.
    return undefined;
  } finally {
    void matcher.destroy();
  }
}
