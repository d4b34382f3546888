import { type TrackingCourier, dhl, fedex, getTracking, s10, ups } from 'ts-tracking-number';

/** A tracking-number format a number fits, and what its check digit says. */
export interface FormatMatch {
  /** Human name of the format, e.g. "UPS 1Z", "UPU S10", "FedEx Express (12)". */
  format: string;
  /** `none` when the format has no check digit. */
  checkDigit: 'valid' | 'invalid' | 'none';
}

const DATASETS = { dhl, fedex, s10, ups } as unknown as Record<DatasetCourier, TrackingCourier>;
export type DatasetCourier = 'dhl' | 'fedex' | 's10' | 'ups';

interface DatasetFormat {
  name: string;
  regex: string | string[];
  validation?: { checksum?: unknown };
}

/**
 * The formats of a courier in the maintained `jkeen/tracking_number_data` dataset (bundled by
 * ts-tracking-number) that `trackingNumber` fits. The package itself answers only for numbers
 * whose check digit is right; matching the dataset's patterns here also tells a mistyped number
 * ("UPS 1Z, check digit invalid") from one of no known format.
 */
export function matchDatasetFormats(trackingNumber: string, courier: DatasetCourier): FormatMatch[] {
  const dataset = DATASETS[courier];
  const matches: FormatMatch[] = [];
  for (const format of dataset.tracking_numbers as unknown as DatasetFormat[]) {
    const pattern = new RegExp(`^${Array.isArray(format.regex) ? format.regex.join('') : format.regex}$`);
    if (!pattern.test(trackingNumber)) continue;
    const hasCheckDigit = format.validation?.checksum !== undefined;
    const single = { ...dataset, tracking_numbers: [format] } as unknown as TrackingCourier;
    const valid = getTracking(trackingNumber, [single]) !== undefined;
    matches.push({ format: format.name, checkDigit: hasCheckDigit ? (valid ? 'valid' : 'invalid') : 'none' });
  }
  return matches;
}
