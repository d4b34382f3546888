import { z } from 'zod';

/** A whole number within bounds, read from text (a setting, a query or a path), with a message that says so whatever was typed. */
export function wholeNumber(min: number, max: number, unit = ''): z.ZodCoercedNumber {
  const message = `expected a whole number from ${min} to ${max}${unit}`;
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}
