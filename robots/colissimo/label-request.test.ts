import { describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../fixtures/colissimo/testing.ts';
import { errorOf } from '../../fixtures/testing/robot-errors.ts';
import { returnLabelBody, returnProductOf } from './label-request.ts';

const { customerParis, customerBrussels, merchantLyon, merchantMilan } = TEST_ADDRESSES;
const settings = { contractNumber: '820345', password: 'secret', outputPrintingType: 'PDF_10x15_300dpi', defaultWeightKg: 1 } as const;

describe('returnProductOf', () => {
  it.each([
    ['FR', 'FR', 'CORE'],
    ['BE', 'FR', 'CORI'],
    ['FR', 'IT', 'CORF'],
  ])('a return from %s to %s travels as %s', (from, to, product) => {
    expect(returnProductOf(from, to)).toBe(product);
  });

  it('refuses a return that neither starts nor ends in France', () => {
    expect(errorOf(() => returnProductOf('BE', 'IT'))).toMatchObject({ code: 'CARRIER_BAD_REQUEST', message: 'Colissimo returns start or end in France, not BE to IT' });
  });
});

describe('returnLabelBody', () => {
  it('names the customer as sender and the merchant as addressee, the original parcel as reference', () => {
    expect(returnLabelBody(settings, '6A12345678901', { customer: customerParis, merchant: merchantLyon, orderRef: 'CMD-1001' }, '2026-03-10')).toEqual({
      contractNumber: '820345',
      password: 'secret',
      outputFormat: { x: 0, y: 0, outputPrintingType: 'PDF_10x15_300dpi' },
      letter: {
        service: { productCode: 'CORE', depositDate: '2026-03-10', mailBoxPicking: false, commercialName: 'Maison Exemple SAS', orderNumber: 'CMD-1001' },
        parcel: { weight: 1 },
        sender: {
          senderParcelRef: 'CMD-1001',
          address: { lastName: 'Camille Martin', line2: '12 rue des Écoles', line3: 'Bâtiment B', zipCode: '75005', city: 'Paris', countryCode: 'FR', phoneNumber: '+33612345678' },
        },
        addressee: {
          addresseeParcelRef: '6A12345678901',
          address: { companyName: 'Maison Exemple SAS', line2: 'Service retours, 4 quai Perrache', zipCode: '69002', city: 'Lyon', countryCode: 'FR', phoneNumber: '+33478000000' },
        },
      },
    });
  });

  it('takes the weight given, and the tracking number as the sender reference without an order', () => {
    const body = returnLabelBody(settings, 'CB123456789FR', { customer: customerBrussels, merchant: merchantLyon, weightKg: 2.5 }, '2026-03-10') as { letter: Record<string, any> };
    expect(body.letter.service.productCode).toBe('CORI');
    expect(body.letter.parcel).toEqual({ weight: 2.5 });
    expect(body.letter.sender.senderParcelRef).toBe('CB123456789FR');
    expect(body.letter.service).not.toHaveProperty('orderNumber');
    expect(returnLabelBody(settings, 'x', { customer: customerParis, merchant: merchantMilan }, '2026-03-10')).toMatchObject({ letter: { service: { productCode: 'CORF' } } });
  });
});
