import { describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_WINDOWS_FILE, loadClaimWindows, whereToFile, windowRuleOf } from './claim-windows.ts';

const fixture = (name: string) => new URL(`../../../fixtures/claim-windows/${name}`, import.meta.url).pathname;

describe('loadClaimWindows', () => {
  it('reads the shipped file: versioned, every window sourced, carriers falling back to the defaults', async () => {
    const windows = await loadClaimWindows();
    expect(windows).toMatchObject({ version: 1, file: DEFAULT_CLAIM_WINDOWS_FILE, calendar: { country: 'FR', time_zone: 'Europe/Paris' } });
    expect(windowRuleOf(windows, 'laposte', 'damaged').source).toMatch(/^Code de commerce art\. L133-3/);
    expect(windowRuleOf(windows, 'ups', 'late').source).toMatch(/^UPS guarantee/);
    expect(windowRuleOf(windows, 'ups', 'lost')).toBe(windows.defaults.lost);
    expect(whereToFile(windows, 'laposte')).toMatch(/Colissimo Box/);
    expect(whereToFile(windows, 'a-new-carrier')).toBe(windows.defaults.file_at);
  });

  it('takes a merchant file instead (CLAIM_WINDOWS_FILE)', async () => {
    const windows = await loadClaimWindows(fixture('merchant-override.yaml'));
    expect(windowRuleOf(windows, 'laposte', 'damaged')).toEqual({ closes: { days: 7, count: 'business', from: ['delivered'] }, source: 'contract with the carrier, art. 12' });
  });

  it.each([
    ['unknown-count.yaml', /unknown-count\.yaml:7: defaults\.damaged\.closes\.count: Invalid option: expected one of "calendar"\|"without_holidays"\|"business"$/],
    ['no-source.yaml', /no-source\.yaml:12: carriers\.ups\.late\.source: Invalid input: expected string, received undefined$/],
    ['bad-yaml.yaml', /bad-yaml\.yaml:4: /],
    ['missing.yaml', /^CLAIM_WINDOWS_FILE: cannot read .*missing\.yaml \(ENOENT\)$/],
  ])('refuses %s with the file, the line and what is wrong', async (name, message) => {
    await expect(loadClaimWindows(fixture(name))).rejects.toThrow(message);
  });
});
