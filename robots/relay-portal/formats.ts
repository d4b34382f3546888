import type { FormatMatch } from '../../src/robot-kit/index.ts';

/**
 * The relay carrier's parcel numbers (outbound and returns alike): `RP`, 9 serial digits and a
 * check digit, e.g. RP3182746507. The check digit is Luhn's (ISO/IEC 7812-1) over the 9 serial
 * digits: from the right, every other digit starting with the last is doubled (minus 9 when
 * over 9), and the check digit brings the sum to a multiple of 10. It catches every single
 * mistyped digit and most swaps of two neighbours, the usual slips of an agent copying a number.
 */
const RELAY_NUMBER = /^RP(\d{9})(\d)$/;
const FORMAT = 'Relay parcel (RP + 10 digits)';

export function luhnCheckDigit(serial: string): number {
  let sum = 0;
  for (let i = 0; i < serial.length; i++) {
    const digit = Number(serial[serial.length - 1 - i]);
    const weighted = i % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10;
}

export function recognizeRelay(trackingNumber: string): FormatMatch[] {
  const match = RELAY_NUMBER.exec(trackingNumber);
  if (!match) return [];
  return [{ format: FORMAT, checkDigit: luhnCheckDigit(match[1]!) === Number(match[2]) ? 'valid' : 'invalid' }];
}

/** The portal's search takes any text; only this shape can be one of the carrier's parcels. */
export function checkRelayNumber(trackingNumber: string): string | null {
  return RELAY_NUMBER.test(trackingNumber) ? null : 'relay parcel numbers are RP followed by 10 digits, e.g. RP3182746507';
}
