import { type FormatMatch, matchDatasetFormats } from '../../src/robot-kit/index.ts';

/** The Track API takes inquiry numbers of 7 to 34 characters (OpenAPI `inquiryNumber`). */
const INQUIRY_NUMBER = /^[A-Za-z0-9]{7,34}$/;

/**
 * Why UPS would not take this number, or null. Lenient on purpose: UPS tracks 1Z numbers, but
 * also Mail Innovations, freight and reference-like numbers, so only the API's length rule is
 * checked here; `recognizeUps` tells a 1Z number apart.
 */
export function checkUpsNumber(trackingNumber: string): string | null {
  return INQUIRY_NUMBER.test(trackingNumber) ? null : 'UPS numbers have 7 to 34 letters or digits';
}

/** The UPS formats of the jkeen/tracking_number_data dataset (1Z, Waybill) this number fits. */
export function recognizeUps(trackingNumber: string): FormatMatch[] {
  return matchDatasetFormats(trackingNumber, 'ups');
}
