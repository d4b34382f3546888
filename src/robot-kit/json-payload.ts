import type { z } from 'zod';

/** A body read as JSON and checked against its schema, or what is wrong with it (field path and why, never values). */
export function readJsonPayload<T>(body: string, schema: z.ZodType<T>): { data: T } | { problem: string; cause: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    return { problem: 'the body is not JSON', cause };
  }
  const result = schema.safeParse(json);
  if (result.success) return { data: result.data };
  return { problem: `at ${describeIssue(result.error.issues[0], json)}`, cause: result.error };
}

/** `delivery_date.latest: expected an ISO 8601 date and time`, `order_state: missing`: where and why, never the value. */
export function describeIssue(issue: z.core.$ZodIssue | undefined, input: unknown): string {
  if (issue === undefined) return 'the top level: invalid';
  const where = issue.path.map(String).join('.') || 'the top level';
  const value = issue.path.reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined), input);
  return `${where}: ${issue.code === 'invalid_type' && value === undefined ? 'missing' : issue.message}`;
}

/**
 * One order of a marketplace page checked on its own: its data, or why it cannot be read; with
 * its id (`idField`) whenever the order has a readable one, so a rejection can name it.
 */
export function readOrderRecord<T>(raw: unknown, schema: z.ZodType<T>, idField: string): { orderRef?: string } & ({ data: T } | { reason: string }) {
  const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[idField] : undefined;
  const orderRef = typeof id === 'string' && id !== '' ? id.slice(0, 60) : undefined;
  const result = schema.safeParse(raw);
  return result.success ? { orderRef, data: result.data } : { orderRef, reason: describeIssue(result.error.issues[0], raw) };
}
