import { describe, expect, it } from 'vitest';
import { readTestParcels } from '../../fixtures/testing/test-parcels.ts';
import { checkDhlNumber, recognizeDhlNumber } from './formats.ts';

const simulatorParcels = readTestParcels('dhl');

describe('recognizeDhlNumber', () => {
  it.each([
    // jkeen/tracking_number_data test numbers
    ['3318810025', [{ format: 'DHL Express', checkDigit: 'valid' }]],
    ['73891051146', [{ format: 'DHL Express', checkDigit: 'valid' }]],
    ['3318810010', [{ format: 'DHL Express', checkDigit: 'invalid' }]],
    ['JJD0099999999', [{ format: 'DHL Express (Piece ID)', checkDigit: 'none' }]],
    ['GM2951173225174494', [{ format: 'DHL E-Commerce', checkDigit: 'none' }]],
    // DHL Paket SSCC: the reference's examples, then one digit off
    ['00340434292135100186', [{ format: 'DHL Paket (SSCC)', checkDigit: 'valid' }]],
    ['00340434292135100124', [{ format: 'DHL Paket (SSCC)', checkDigit: 'valid' }]],
    ['00340434161094042557', [{ format: 'DHL Paket (SSCC)', checkDigit: 'valid' }]],
    ['00340434292135100187', [{ format: 'DHL Paket (SSCC)', checkDigit: 'invalid' }]],
    ['00340434292135100816', [{ format: 'DHL Paket (SSCC)', checkDigit: 'invalid' }]],
  ] as const)('%s fits %j', (number, formats) => {
    expect(recognizeDhlNumber(number)).toEqual(formats);
  });

  it.each(simulatorParcels.map((parcel) => parcel.trackingNumber))('recognizes the simulator\'s %s with a valid check digit', (number) => {
    expect(recognizeDhlNumber(number)).toEqual([expect.objectContaining({ checkDigit: 'valid' })]);
    expect(checkDhlNumber(number)).toBeNull();
  });

  it.each(['6A18987970674', 'EW112720413FR', '1Z12345E0205271688', '470800204932', '00123456789101111111', 'XJD0099999998'])('%s fits no DHL format', (number) => {
    expect(recognizeDhlNumber(number)).toEqual([]);
  });
});

describe('checkDhlNumber (what the Unified API takes)', () => {
  it.each(['3318810025', '470800204932', '00340434292135100186', 'JJD0099999999', 'GM2951173225174494', 'JVGL0999999990', '7777777770', 'ABC1234', 'A'.repeat(39) + '1'])(
    'accepts %s',
    (number) => {
      expect(checkDhlNumber(number)).toBeNull();
    },
  );

  it.each(['', '123456', 'ABCDEFGHIJ', '3318-810025', '3318 810025', '1'.repeat(41)])('refuses %j', (number) => {
    expect(checkDhlNumber(number)).toBe('DHL numbers have 7 to 40 letters or digits, at least one of them a digit');
  });
});
