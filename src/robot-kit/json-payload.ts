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
  return { problem: `at ${issuePath(result.error.issues[0]?.path)}: ${issueMessage(result.error.issues[0]?.message)}`, cause: result.error };
}

/** `delivery_date.latest`, or `the top level`. */
export function issuePath(path: readonly PropertyKey[] | undefined): string {
  return path?.map(String).join('.') || 'the top level';
}

/** A zod message, with "missing" for a field that is not there. */
export function issueMessage(message: string | undefined): string {
  return message === undefined ? 'invalid' : message.endsWith('received undefined') ? 'missing' : message;
}
