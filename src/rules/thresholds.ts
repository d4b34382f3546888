import type { CoreConfig } from '../config.ts';

/**
 * Numbers a rules file refers to by name (`value: { below: AUTO_REFUND_MAX }`), set in the
 * environment: an operator changes a threshold without editing rules.
 */
export const THRESHOLD_NAMES = ['AUTO_REFUND_MAX', 'CONTACTS_TARGET', 'RESOLUTION_TARGET_DAYS'] as const;
export type ThresholdName = (typeof THRESHOLD_NAMES)[number];
export type Thresholds = Readonly<Record<ThresholdName, number>>;

export function thresholdsFromConfig(core: Pick<CoreConfig, ThresholdName>): Thresholds {
  return Object.freeze(Object.fromEntries(THRESHOLD_NAMES.map((name) => [name, core[name]])) as Record<ThresholdName, number>);
}

export function isThresholdName(value: string): value is ThresholdName {
  return (THRESHOLD_NAMES as readonly string[]).includes(value);
}
