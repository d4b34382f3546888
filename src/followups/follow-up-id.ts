import { createHash } from 'node:crypto';
import type { FollowUpKind } from '../domain/follow-up.ts';

/** JSON with object keys sorted at every depth: the same parameters written in any order give the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The follow-up's id, and its BullMQ job id: the same shipment, kind, rule and parameters always
 * give the same id, so a second sweep or a retry proposing the same decision finds it instead of
 * making another. `fu-<shipment>-<kind>-<16 hex>`: readable in a list, and free of `:`, which
 * BullMQ job ids may not contain.
 */
export function followUpId(shipmentId: number, kind: FollowUpKind, ruleId: string, params: Readonly<Record<string, unknown>>): string {
  const digest = createHash('sha256').update(`${ruleId}\u0000${stableJson(params)}`).digest('hex').slice(0, 16);
  return `fu-${shipmentId}-${kind.replace(/_/g, '-')}-${digest}`;
}
