/**
 * Why a parcel is in its status, when the carrier says so. Grouped as in domain.md:
 * carrier_*, consignee_*, customs_*, retailer_*, weather_delay, force_majeure, unknown.
 */
export const STATUS_REASONS = [
  'carrier_damaged_parcel',
  'carrier_sorting_error',
  'carrier_address_not_found',
  'carrier_parcel_lost',
  'carrier_incident',
  'carrier_returned_to_sender',
  'consignee_not_home',
  'consignee_refused',
  'consignee_incorrect_address',
  'consignee_business_closed',
  'consignee_not_collected',
  'customs_delay',
  'customs_documentation',
  'customs_duties_unpaid',
  'retailer_label_created',
  'weather_delay',
  'force_majeure',
  'unknown',
] as const;

export type StatusReason = (typeof STATUS_REASONS)[number];
