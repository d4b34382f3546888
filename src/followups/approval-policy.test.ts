import { describe, expect, it } from 'vitest';
import type { Shipment } from '../domain/shipment.ts';
import { approvalFor, stakeOf } from './approval-policy.ts';

const shipment = { id: 1, declaredValue: 149, currency: 'EUR' } as Shipment;

describe('approval policy (threshold 100)', () => {
  it.each([
    ['reshipment', { value: 149, currency: 'EUR' }, true, '149.00 EUR is above the approval threshold of 100'],
    ['reshipment', { value: 100, currency: 'EUR' }, false, '100.00 EUR is within the approval threshold of 100'],
    ['refund', { value: 29.9, currency: 'EUR' }, false, '29.90 EUR is within the approval threshold of 100'],
    ['carrier_claim', { value: 250 }, true, '250.00 is above the approval threshold of 100'],
    ['refund', {}, true, 'the value at stake is unknown'],
    ['customer_email', { value: 5000 }, false, 'a customer email needs no approval'],
    ['manager_case', {}, false, 'a manager case needs no approval'],
    ['return_label', { value: 5000 }, false, 'a return label needs no approval'],
  ] as const)('%s with %j: approval required %s', (kind, stake, required, why) => {
    expect(approvalFor(kind, stake, 100)).toEqual({ required, why });
  });
});

describe('stakeOf', () => {
  it("is the order's declared value", () => {
    expect(stakeOf(shipment, {})).toEqual({ value: 149, currency: 'EUR' });
  });

  it('is the amount the decision gives (a partial refund)', () => {
    expect(stakeOf(shipment, { amount: 20, currency: 'GBP' })).toEqual({ value: 20, currency: 'GBP' });
  });

  it('ignores an amount that is not a number of money', () => {
    expect(stakeOf(shipment, { amount: '20' })).toEqual({ value: 149, currency: 'EUR' });
    expect(stakeOf(shipment, { amount: -3 })).toEqual({ value: 149, currency: 'EUR' });
  });
});
