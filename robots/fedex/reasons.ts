import type { StatusReason } from '../../src/domain/status-reason.ts';
import type { TrackingStatus } from '../../src/domain/tracking-status.ts';

/** Statuses where "why" matters to the customer: the details of the scan may say it. */
const STATUSES_WITH_A_CAUSE: ReadonlySet<TrackingStatus> = new Set(['delivery_failed', 'delivery_delayed', 'on_hold', 'return_to_sender']);

/**
 * `delayDetail.type` (an enum of the Track OpenAPI). LOCAL and GENERAL say nothing of the cause,
 * so they give no reason.
 */
const DELAY_TYPES: Readonly<Record<string, StatusReason>> = {
  WEATHER: 'weather_delay',
  CLEARANCE: 'customs_delay',
  OPERATIONAL: 'carrier_incident',
};

/**
 * FedEx publishes no table of its exception and ancillary reason codes (`exceptionCode` "08",
 * `reason` "15"...), only their texts, which the robot asks for in en_US (`x-locale`). The cause is
 * read from those texts; the first pattern that matches wins, so the specific ones come first.
 */
const DESCRIPTION_PATTERNS: ReadonlyArray<readonly [RegExp, StatusReason]> = [
  [/refus/i, 'consignee_refused'],
  [/incorrect address|address (?:is )?(?:incorrect|incomplete|insufficient)|wrong address|unable to locate/i, 'consignee_incorrect_address'],
  // "Customer not available or business closed" is one FedEx text: read as "not home".
  [/not available|not home|no one (?:was )?(?:available|home)/i, 'consignee_not_home'],
  [/business (?:is )?closed/i, 'consignee_business_closed'],
  [/damage/i, 'carrier_damaged_parcel'],
  [/weather|snow|storm|hurricane|flood/i, 'weather_delay'],
  [/duties|taxes/i, 'customs_duties_unpaid'],
  [/documentation|paperwork|commercial invoice/i, 'customs_documentation'],
  [/customs|clearance|broker/i, 'customs_delay'],
];

export interface CauseDetails {
  /** `exceptionDescription` of a scan, `ancillaryDetails[].reasonDescription` of the latest status. */
  descriptions: readonly string[];
  delayType?: string;
}

/**
 * The reason of an event or a snapshot: what the details say, for a status where the cause
 * matters, else the reason the code itself carries.
 */
export function reasonFor(status: TrackingStatus, codeReason: StatusReason | undefined, details: CauseDetails): StatusReason | undefined {
  if (!STATUSES_WITH_A_CAUSE.has(status)) return codeReason;
  for (const description of details.descriptions) {
    const match = DESCRIPTION_PATTERNS.find(([pattern]) => pattern.test(description));
    if (match) return match[1];
  }
  const delayReason = details.delayType !== undefined && Object.hasOwn(DELAY_TYPES, details.delayType) ? DELAY_TYPES[details.delayType] : undefined;
  return delayReason ?? codeReason;
}
