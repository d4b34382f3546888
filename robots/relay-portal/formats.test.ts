import { describe, expect, it } from 'vitest';
import { readTestParcels } from '../../fixtures/testing/test-parcels.ts';
import { checkRelayNumber, luhnCheckDigit, recognizeRelay } from './formats.ts';

describe('relay numbers', () => {
  it('recognize every number of the simulator with a valid check digit', () => {
    for (const { trackingNumber } of readTestParcels('relay-portal')) {
      expect(recognizeRelay(trackingNumber), trackingNumber).toEqual([{ format: 'Relay parcel (RP + 10 digits)', checkDigit: 'valid' }]);
    }
  });

  it.each([
    ['one digit mistyped', 'RP3182746517'],
    ['two neighbours swapped', 'RP3187246507'],
    ['the check digit itself wrong', 'RP3182746508'],
  ])('tell %s by its check digit', (_, number) => {
    expect(recognizeRelay(number)).toEqual([{ format: 'Relay parcel (RP + 10 digits)', checkDigit: 'invalid' }]);
    // The portal's search takes it anyway: only the shape is checked before asking.
    expect(checkRelayNumber(number)).toBeNull();
  });

  it.each(['RP318274650', 'RP31827465071', 'XP3182746507', '6A18987970674', '1Z999AA10123456784', ''])('do not take %j', (number) => {
    expect(recognizeRelay(number)).toEqual([]);
    expect(checkRelayNumber(number)).toBe('relay parcel numbers are RP followed by 10 digits, e.g. RP3182746507');
  });

  it('compute the Luhn digit over the serial', () => {
    expect(luhnCheckDigit('318274650')).toBe(7);
    expect(luhnCheckDigit('000000000')).toBe(0);
    expect(luhnCheckDigit('900000001')).toBe(9);
  });
});
