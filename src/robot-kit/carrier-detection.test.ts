import { describe, expect, it } from 'vitest';
import { type CarrierCandidate, detectCarriers, pickCarrier } from './carrier-detection.ts';
import { RobotRegistry } from './registry.ts';
import type { RobotDefinition } from './define-robot.ts';

const robot = (id: string, recognize: RobotDefinition['recognize']): RobotDefinition =>
  ({ id, title: id, kind: 'api', capabilities: { track: { maxBatch: 1 } }, recognize, checkTrackingNumber: () => null, create: () => ({ track: async () => [] }) }) as unknown as RobotDefinition;

describe('carrier detection', () => {
  const registry = new RobotRegistry([
    robot('loose', (n) => (/^\d{12}$/.test(n) ? [{ format: 'Loose 12', checkDigit: 'none' }] : [])),
    robot('strict', (n) => (/^\d{12}$/.test(n) ? [{ format: 'Strict 12', checkDigit: n.endsWith('7') ? 'valid' : 'invalid' }] : [])),
  ]);

  it('ranks a valid check digit first, then formats without one, then failed check digits', () => {
    expect(detectCarriers(registry, '123456789017').map((c) => c.carrier)).toEqual(['strict', 'loose']);
    expect(detectCarriers(registry, '123456789018').map((c) => c.carrier)).toEqual(['loose', 'strict']);
  });

  it('picks the best candidate, and refuses a number known only with a wrong check digit', () => {
    const typo: CarrierCandidate[] = [{ carrier: 'strict', format: 'Strict 12', checkDigit: 'invalid' }];
    expect(pickCarrier(detectCarriers(registry, '123456789017'))).toEqual({ carrier: 'strict' });
    expect(pickCarrier(typo)).toEqual({ problem: 'looks like Strict 12 (strict) but its check digit is wrong: check for a typo' });
    expect(pickCarrier([])).toEqual({ problem: 'matches no known tracking-number format' });
  });

  describe('with the real robots', async () => {
    const real = await RobotRegistry.load();
    it.each([
      ['1Z5R89390357567127', 'ups', 'valid'],
      ['EW112720413FR', 'laposte', 'valid'],
      ['6A12345678901', 'laposte', 'none'],
      ['3133421012', 'dhl', 'valid'],
      ['123456789012', 'fedex', 'valid'],
    ])('names %s a %s number, check digit %s', (number, carrier, checkDigit) => {
      expect(detectCarriers(real, number)[0]).toMatchObject({ carrier, checkDigit });
      expect(pickCarrier(detectCarriers(real, number))).toEqual({ carrier });
    });

    it.each([
      ['1Z5R89390357567128', /looks like UPS \(ups\) but its check digit is wrong: check for a typo/],
      ['EW112720414FR', /check digit is wrong/],
      ['HELLO', /matches no known tracking-number format/],
    ])('refuses %s with the reason', (number, reason) => {
      expect(pickCarrier(detectCarriers(real, number))).toEqual({ problem: expect.stringMatching(reason) });
    });
  });
});
