import { type FormatMatch, matchDatasetFormats } from '../../src/robot-kit/index.ts';

/**
 * La Poste's domestic formats are in no public dataset (carrier-apis.md 10.4), so they are
 * written here from the numbers La Poste prints; none has a publicly documented check digit.
 * International numbers are UPU S10, from the maintained dataset, check digit included.
 */
const DOMESTIC_FORMATS: { format: string; pattern: RegExp }[] = [
  // Colissimo: a digit and a letter then 11 digits: 6A/6C/6H... outbound, 8R/8V/9V... returns and relay.
  { format: 'Colissimo (domestic)', pattern: /^[5-9][A-Z]\d{11}$/ },
  // Lettre suivie and Lettre recommandée: 1 then a letter, then 11 digits (1K, 1L...).
  { format: 'Lettre suivie', pattern: /^1[A-Z]\d{11}$/ },
  // Chronopost: S10-shaped with an X service indicator (XS…FR, XW…FR), but its last digit is not
  // documented as an S10 check digit: judging it by S10 would refuse real numbers as typos.
  { format: 'Chronopost', pattern: /^X[A-Z]\d{9}FR$/ },
];

export function recognizeLaPoste(trackingNumber: string): FormatMatch[] {
  const domestic: FormatMatch[] = DOMESTIC_FORMATS.filter(({ pattern }) => pattern.test(trackingNumber)).map(({ format }) => ({ format, checkDigit: 'none' }));
  if (domestic.length > 0) return domestic;
  return matchDatasetFormats(trackingNumber, 's10').map(({ checkDigit }) => ({
    format: trackingNumber.endsWith('FR') ? 'UPU S10 from France (Colissimo international)' : `UPU S10 from ${trackingNumber.slice(-2)} (La Poste delivers it in France)`,
    checkDigit,
  }));
}
