import { describe, expect, it } from 'vitest';
import { followUpId, stableJson } from './follow-up-id.ts';

describe('followUpId', () => {
  it('is the same for the same decision, whatever the order its parameters were written in', () => {
    const one = followUpId(42, 'customer_email', 'late-parcel', { template: 'late', options: { cc: false, lang: 'fr' } });
    const two = followUpId(42, 'customer_email', 'late-parcel', { options: { lang: 'fr', cc: false }, template: 'late' });
    expect(one).toBe(two);
    expect(one).toMatch(/^fu-42-customer-email-[0-9a-f]{16}$/);
  });

  it.each([
    ['another shipment', followUpId(43, 'reshipment', 'r1', {})],
    ['another kind', followUpId(42, 'refund', 'r1', {})],
    ['another rule', followUpId(42, 'reshipment', 'r2', {})],
    ['other parameters', followUpId(42, 'reshipment', 'r1', { reason: 'lost' })],
  ])('differs for %s', (_, other) => {
    expect(other).not.toBe(followUpId(42, 'reshipment', 'r1', {}));
  });

  it('is a valid BullMQ job id even when the rule id has a colon', () => {
    const id = followUpId(7, 'carrier_claim', 'claims:lost', { type: 'lost' });
    expect(id).not.toContain(':');
    expect(Number.isInteger(Number(id))).toBe(false);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth, keeps array order and leaves undefined out', () => {
    expect(stableJson({ b: [2, { d: 1, c: 2 }], a: undefined, e: null })).toBe('{"b":[2,{"c":2,"d":1}],"e":null}');
  });
});
