import type { PostalAddress } from '../../src/domain/postal-address.ts';
import type { ReturnParties } from '../../src/domain/return-label.ts';
import { RobotError } from '../../src/robot-kit/index.ts';

/**
 * Colissimo's return products (karrio `units.py`, carrier-apis.md 11.2): CORE returns within
 * France (numbers 8R...), CORI from abroad to France, CORF from France to abroad.
 */
export type ReturnProduct = 'CORE' | 'CORI' | 'CORF';

export const OUTPUT_FORMATS = ['PDF_10x15_300dpi', 'PDF_A4_300dpi'] as const;

export interface LabelSettings {
  contractNumber: string;
  password: string;
  outputPrintingType: (typeof OUTPUT_FORMATS)[number];
  defaultWeightKg: number;
}

/** Which return product carries a parcel between these two countries; Colissimo returns start or end in France. */
export function returnProductOf(customerCountry: string, merchantCountry: string): ReturnProduct {
  const [fromFrance, toFrance] = [customerCountry === 'FR', merchantCountry === 'FR'];
  if (fromFrance && toFrance) return 'CORE';
  if (toFrance) return 'CORI';
  if (fromFrance) return 'CORF';
  throw new RobotError('CARRIER_BAD_REQUEST', `Colissimo returns start or end in France, not ${customerCountry} to ${merchantCountry}`);
}

/**
 * The `generateLabel` body for a return: the customer sends (`sender`), the merchant receives
 * (`addressee`). Pure. `depositDate` is the day the customer may hand the parcel in (YYYY-MM-DD).
 */
export function returnLabelBody(settings: LabelSettings, trackingNumber: string, parties: ReturnParties, depositDate: string): Record<string, unknown> {
  const { customer, merchant, orderRef } = parties;
  return {
    contractNumber: settings.contractNumber,
    password: settings.password,
    outputFormat: { x: 0, y: 0, outputPrintingType: settings.outputPrintingType },
    letter: {
      service: {
        productCode: returnProductOf(customer.country, merchant.country),
        depositDate,
        // Returns are handed in at a post office or relay, not picked up from the letter box.
        mailBoxPicking: false,
        commercialName: merchant.name,
        ...(orderRef === undefined ? {} : { orderNumber: orderRef }),
      },
      parcel: { weight: parties.weightKg ?? settings.defaultWeightKg },
      sender: { senderParcelRef: orderRef ?? trackingNumber, address: colissimoAddress(customer, 'lastName') },
      // The merchant reads the original parcel's number on the returned parcel.
      addressee: { addresseeParcelRef: trackingNumber, address: colissimoAddress(merchant, 'companyName') },
    },
  };
}

/** Colissimo's address: line2 is the street, line3 its complement; a person's name in lastName, a company's in companyName. */
function colissimoAddress(address: PostalAddress, nameField: 'lastName' | 'companyName'): Record<string, string> {
  return {
    [nameField]: address.name,
    line2: address.line1,
    ...(address.line2 === undefined ? {} : { line3: address.line2 }),
    zipCode: address.postcode,
    city: address.city,
    countryCode: address.country,
    ...(address.phone === undefined ? {} : { phoneNumber: address.phone }),
  };
}
