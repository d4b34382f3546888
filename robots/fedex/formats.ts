import { type FormatMatch, matchDatasetFormats } from '../../src/robot-kit/index.ts';

/** Track v1 takes FedEx numbers of 12 to 34 digits (Express 12 and 34, Ground 15, Ground Economy 20 and 22...). */
const API_ACCEPTED = /^\d{12,34}$/;

/** Why this number cannot be sent to FedEx, or null. Lenient: the check digit is recognize()'s business. */
export function checkFedExNumber(trackingNumber: string): string | null {
  return API_ACCEPTED.test(trackingNumber) ? null : 'FedEx numbers have 12 to 34 digits';
}

/**
 * The FedEx formats of the maintained jkeen/tracking_number_data dataset the number fits (Express 12
 * and 34, Ground 15, SSCC-18, 96 22-digit and GSN 34-digit, Ground Economy/SmartPost 20 and 22),
 * with what its check digit says.
 */
export function recognizeFedExNumber(trackingNumber: string): FormatMatch[] {
  return matchDatasetFormats(trackingNumber, 'fedex');
}
