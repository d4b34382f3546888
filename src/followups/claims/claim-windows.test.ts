import { describe, expect, it } from 'vitest';
import { compensationCapOf, DEFAULT_CLAIM_WINDOWS_FILE, loadClaimWindows, whereToFile, windowRuleOf } from './claim-windows.ts';

const fixture = (name: string) => new URL(`../../../fixtures/claim-windows/${name}`, import.meta.url).pathname;

describe('loadClaimWindows', () => {
  it('reads the shipped file: versioned, every window sourced, carriers falling back to the defaults', async () => {
    const windows = await loadClaimWindows();
    expect(windows).toMatchObject({ version: 2, file: DEFAULT_CLAIM_WINDOWS_FILE, calendar: { country: 'FR', time_zone: 'Europe/Paris' } });
    expect(windowRuleOf(windows, 'laposte', 'damaged').source).toMatch(/^Code de commerce art\. L133-3/);
    expect(windowRuleOf(windows, 'ups', 'late').source).toMatch(/^UPS guarantee/);
    expect(windowRuleOf(windows, 'ups', 'lost')).toBe(windows.defaults.lost);
    expect(whereToFile(windows, 'laposte')).toMatch(/Colissimo Box/);
    expect(whereToFile(windows, 'a-new-carrier')).toBe(windows.defaults.file_at);
  });

  it('takes a merchant file instead (CLAIM_WINDOWS_FILE)', async () => {
    const windows = await loadClaimWindows(fixture('merchant-override.yaml'));
    expect(windowRuleOf(windows, 'laposte', 'damaged')).toEqual({ closes: { days: 7, count: 'business', from: ['delivered'] }, source: 'contract with the carrier, art. 12' });
    // Insured parcels: the merchant's own cap replaces the carrier's; a carrier it names no cap for has none.
    expect(compensationCapOf(windows, 'relay-portal', undefined)).toMatchObject({ max: 500, per: 'parcel', source: 'ad valorem insurance with the carrier, contract 2026-17' });
    expect(compensationCapOf(windows, 'laposte', 'chronopost')).toBeUndefined();
  });

  it.each([
    ['relay-portal', undefined, { max: 25, per: 'parcel', currency: 'EUR', source: expect.stringMatching(/^Mondial Relay terms .* 25 EUR per parcel$/) }],
    ['laposte', 'colissimo', { product: 'colissimo', max: 23, per: 'kg', currency: 'EUR', source: expect.stringMatching(/^Colissimo terms .* 23 EUR per kg$/) }],
    ['laposte', 'Chronopost', { product: 'chronopost', max: 250, per: 'parcel', currency: 'EUR', source: expect.stringMatching(/^Chronopost terms .* 250 EUR per parcel$/) }],
    ['laposte', 'lettre suivie', undefined],
    ['laposte', undefined, undefined],
    ['ups', undefined, undefined],
  ])('ships the compensation cap of %s for product %s, with its source', async (carrier, product, cap) => {
    expect(compensationCapOf(await loadClaimWindows(), carrier, product)).toEqual(cap);
  });

  it.each([
    ['unknown-count.yaml', /unknown-count\.yaml:7: defaults\.damaged\.closes\.count: Invalid option: expected one of "calendar"\|"without_holidays"\|"business"$/],
    ['no-source.yaml', /no-source\.yaml:12: carriers\.ups\.late\.source: Invalid input: expected string, received undefined$/],
    ['bad-yaml.yaml', /bad-yaml\.yaml:4: /],
    ['cap-without-source.yaml', /cap-without-source\.yaml:12: carriers\.relay-portal\.caps\.0\.source: say where the cap comes from \(carrier terms, contract\)$/],
    ['cap-unknown-unit.yaml', /cap-unknown-unit\.yaml:12: carriers\.laposte\.caps\.0\.per: expected parcel \(a flat cap\) or kg \(per kilogram of the parcel\)$/],
    ['cap-not-a-number.yaml', /cap-not-a-number\.yaml:10: defaults\.caps\.0\.max: expected the most the carrier pays, a number such as 25$/],
    ['cap-lowercase-currency.yaml', /cap-lowercase-currency\.yaml:12: carriers\.relay-portal\.caps\.0\.currency: expected a 3-letter ISO 4217 code such as EUR$/],
    ['cap-never-applies.yaml', /cap-never-applies\.yaml:14: carriers\.laposte\.caps\.1\.product: never applies: caps\[0\] already covers every product; give each product one cap, and put the cap without product last$/],
    ['missing.yaml', /^CLAIM_WINDOWS_FILE: cannot read .*missing\.yaml \(ENOENT\)$/],
  ])('refuses %s with the file, the line and what is wrong', async (name, message) => {
    await expect(loadClaimWindows(fixture(name))).rejects.toThrow(message);
  });
});
