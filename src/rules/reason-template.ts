import { THRESHOLD_NAMES } from './thresholds.ts';

/**
 * Placeholders a decision's `reason` may hold, filled when the rule fires:
 * `{verdict}`, `{status}`, `{carrier}`, `{contacts}`, `{promised_by}`, `{days_late}`,
 * `{case_age}` (business days since the first contact), `{value}` (`24.90 EUR`) and every
 * threshold name (`{AUTO_REFUND_MAX}`...).
 */
export const FACT_PLACEHOLDERS = ['verdict', 'status', 'carrier', 'contacts', 'promised_by', 'days_late', 'case_age', 'value'] as const;
const PLACEHOLDERS: readonly string[] = [...FACT_PLACEHOLDERS, ...THRESHOLD_NAMES];
const PATTERN = /\{([^{}]*)\}/g;

/** What is wrong with a reason's placeholders, if anything. */
export function checkTemplate(text: string): string | undefined {
  for (const [, name] of text.matchAll(PATTERN)) {
    if (!PLACEHOLDERS.includes(name ?? '')) return `unknown placeholder {${name}}: expected one of ${PLACEHOLDERS.map((known) => `{${known}}`).join(', ')}`;
  }
  return undefined;
}

/** The reason with its placeholders filled; a fact the shipment lacks reads `unknown`. */
export function fillTemplate(text: string, values: Readonly<Record<string, string | number | undefined>>): string {
  return text.replace(PATTERN, (_, name: string) => String(values[name] ?? 'unknown'));
}
