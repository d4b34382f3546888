import { type FormatMatch, matchDatasetFormats } from '../../src/robot-kit/index.ts';

/**
 * What the Unified API takes: any DHL division's id (express waybills of 10 digits, parcel-de
 * 12- and 20-digit codes, `JJD...` piece ids, eCommerce `GM...`, freight and forwarding
 * references). Lenient on purpose: DHL answers 404 for what it does not know.
 */
const API_NUMBER = /^(?=.*\d)[A-Z0-9]{7,40}$/i;

/**
 * DHL Paket labels (parcel-de): GS1 application identifier `00`, then an 18-digit SSCC under DHL's
 * GS1 company prefix 340434, ending in a GS1 check digit. Not in the jkeen dataset; every known
 * example fits (carrier-apis.md's `00340434292135100186`, karrio's `00340434292135100124`).
 */
const PAKET_SSCC = /^00340434\d{12}$/;

/** Why the Unified API would not take this number, or null. */
export function checkDhlNumber(trackingNumber: string): string | null {
  return API_NUMBER.test(trackingNumber) ? null : 'DHL numbers have 7 to 40 letters or digits, at least one of them a digit';
}

/** The DHL formats this number fits: the dataset's (Express with its mod 7 digit, piece ids, eCommerce), then DHL Paket's SSCC. */
export function recognizeDhlNumber(trackingNumber: string): FormatMatch[] {
  const matches = matchDatasetFormats(trackingNumber, 'dhl');
  if (PAKET_SSCC.test(trackingNumber)) {
    const valid = gs1CheckDigit(trackingNumber.slice(2, 19)) === Number(trackingNumber[19]);
    matches.push({ format: 'DHL Paket (SSCC)', checkDigit: valid ? 'valid' : 'invalid' });
  }
  return matches;
}

/** GS1 mod 10: weights 3 and 1 alternating from the rightmost digit. */
function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}
