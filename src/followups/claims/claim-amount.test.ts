import { describe, expect, it } from 'vitest';
import { type ClaimAmount, claimAmountOf, describeAmount } from './claim-amount.ts';
import { compensationCapOf, loadClaimWindows } from './claim-windows.ts';

const windows = await loadClaimWindows();

describe('claimAmountOf, with the shipped caps', () => {
  it.each<{ name: string; carrier: string; product?: string; asked: number; askedFrom?: ClaimAmount['askedFrom']; currency?: string; amount: number; says: string }>([
    {
      name: 'a 400 EUR parcel with the relay carrier: 25 EUR, the flat cap of its terms',
      carrier: 'relay-portal',
      asked: 400,
      amount: 25,
      says: "25.00 EUR (the declared value of 400.00 EUR capped at relay-portal's cap of 25.00 EUR per parcel)",
    },
    { name: 'a 19.90 EUR parcel with the relay carrier: all of it, under the cap', carrier: 'relay-portal', asked: 19.9, amount: 19.9, says: '19.90 EUR' },
    {
      name: "a rule's amount is capped the same way",
      carrier: 'relay-portal',
      asked: 60,
      askedFrom: 'amount at stake',
      amount: 25,
      says: "25.00 EUR (the amount at stake of 60.00 EUR capped at relay-portal's cap of 25.00 EUR per parcel)",
    },
    {
      name: 'Chronopost through La Poste: 250 EUR per parcel',
      carrier: 'laposte',
      product: 'chronopost',
      asked: 400,
      amount: 250,
      says: "250.00 EUR (the declared value of 400.00 EUR capped at laposte's cap of 250.00 EUR per parcel)",
    },
    {
      name: 'Colissimo, 23 EUR per kg: the weight is not known, so the declared value is claimed and the carrier caps it',
      carrier: 'laposte',
      product: 'colissimo',
      asked: 400,
      amount: 400,
      says: "400.00 EUR (laposte's cap of 23.00 EUR per kg not applied: parcelbot does not know the parcel's weight; laposte applies it from the weight it recorded)",
    },
    {
      name: 'a claim in pounds: the EUR cap is not converted',
      carrier: 'relay-portal',
      asked: 400,
      currency: 'GBP',
      amount: 400,
      says: "400.00 GBP (relay-portal's cap of 25.00 EUR per parcel not applied: the claim is in GBP and parcelbot converts no currency; relay-portal converts at its own rate)",
    },
    { name: 'a carrier without a known cap: the declared value', carrier: 'ups', asked: 400, amount: 400, says: '400.00 EUR' },
  ])('$name', ({ carrier, product, asked, askedFrom = 'declared value', currency = 'EUR', amount, says }) => {
    const claim = claimAmountOf(asked, askedFrom, currency, carrier, compensationCapOf(windows, carrier, product));
    expect(claim).toMatchObject({ amount, currency, asked, askedFrom });
    expect(describeAmount(claim)).toBe(says);
  });

  it('keeps the cap it applied, with its source, for the evidence pack', () => {
    const claim = claimAmountOf(400, 'declared value', 'EUR', 'relay-portal', compensationCapOf(windows, 'relay-portal', undefined));
    expect(claim.cap).toEqual({
      rule: { max: 25, per: 'parcel', currency: 'EUR', source: expect.stringMatching(/^Mondial Relay terms/) },
      outcome: 'capped',
      note: "the declared value of 400.00 EUR capped at relay-portal's cap of 25.00 EUR per parcel",
    });
  });
});
