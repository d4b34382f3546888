import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { useCliEnvs } from '../../fixtures/cli/cli-env.ts';
import { expectOneLineFailure } from '../../fixtures/cli/expect-one-line-failure.ts';
import { runCli } from '../../fixtures/cli/run-cli.ts';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { startLocalSite } from '../../fixtures/testing/local-site.ts';
import { numberFor } from '../../fixtures/relay-portal/testing.ts';

// `parcelbot track <RP number> --carrier relay-portal`: the real binary, spawned, drives a real
// headless Chromium through the relay portal simulator, by way of the queue and a worker of its own.

const { world, fixtures } = useCliEnvs();
/** Each spawn starts tsx and a browser: generous, for a loaded CI machine. */
const SLOW_MS = 150_000;
afterEach(() => fixtures()['relay-portal'].reset());

/**
 * The account without a second factor: the CLI reads the system clock while the simulators
 * stand still at their start, so a code computed minutes into the run would be out of date.
 * An empty variable counts as unset.
 */
const AGENT = { RELAY_PORTAL_LOGIN: DEMO_ACCOUNTS.withoutTotp.email, RELAY_PORTAL_PASSWORD: DEMO_ACCOUNTS.withoutTotp.password, RELAY_PORTAL_TOTP_SECRET: '' };

/** The codes of a scenario's events, newest first (scenario files list them oldest first). */
function scenarioCodesNewestFirst(scenario: string): string[] {
  const file = new URL(`../../fixtures/relay-portal/scenarios/${scenario}.json`, import.meta.url);
  const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: { code: string }[] };
  return events.map((event) => event.code).reverse();
}

describe('parcelbot track --carrier relay-portal', () => {
  it('reads the parcel in the portal: status, events newest first, both answers; --json prints one object', { timeout: SLOW_MS }, async () => {
    // Each process asks the portal, however soon after the other (no answer from the store).
    const { env } = await world({ ...AGENT, FRESH_FOR: '0s' });
    const collected = numberFor('collected');
    const [text, json] = await Promise.all([runCli(['track', collected, '--carrier', 'relay-portal'], env), runCli(['track', collected, '--carrier', 'relay-portal', '--json'], env)]);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${collected}\\s+relay-portal \\(Relay Max\\)`));
    expect(text.stdout).toMatch(/^status\s+delivered\b/m);
    const codes = [...text.stdout.matchAll(/^\s+\S+\s+([A-Z]{3})\s+\S+/gm)].map((match) => match[1]);
    expect(codes).toEqual(scenarioCodesNewestFirst('collected'));
    expect(text.stdout).toMatch(/^suggested answer \(fr\): \S/m);
    expect(text.stdout).toMatch(/^suggested answer \(en\): \S/m);

    expect(json.code, json.stderr).toBe(0);
    const body = JSON.parse(json.stdout) as { outcome: string; carrier: string; status: string; events: { code: string }[]; answer: { fr: string; en: string } };
    expect(body).toMatchObject({ outcome: 'found', trackingNumber: collected, carrier: 'relay-portal', status: 'delivered', answer: { fr: expect.any(String), en: expect.any(String) } });
    expect(body.events.map((event) => event.code)).toEqual(scenarioCodesNewestFirst('collected'));
    // Two processes, one portal account, the session shared through Redis: one login.
    expect(fixtures()['relay-portal'].stats()).toMatchObject({ loginsSucceeded: 1, parcelSearches: 2 });
  });

  it('exits 3 for a number the account does not have, and 2 for a number no relay parcel can have', { timeout: SLOW_MS }, async () => {
    const { env } = await world(AGENT);
    const [unknown, short, typo] = await Promise.all([
      runCli(['track', 'RP0000000018', '--carrier', 'relay-portal'], env),
      runCli(['track', 'RP123', '--carrier', 'relay-portal'], env),
      // Found by carrier detection, whose Luhn check catches the slip: never sent to the portal.
      runCli(['track', 'RP3182746508'], env),
    ]);

    expect(expectOneLineFailure(unknown, 3, 'unknown')).toBe('parcelbot: RP0000000018: unknown to relay-portal: the relay portal finds no parcel RP0000000018 in the account');
    expect(expectOneLineFailure(short, 2, 'short')).toBe('parcelbot: tracking number: relay parcel numbers are RP followed by 10 digits, e.g. RP3182746507');
    expect(expectOneLineFailure(typo, 2, 'typo')).toMatch(/^parcelbot: tracking number: looks like Relay parcel \(RP \+ 10 digits\) \(relay-portal\) but its check digit is wrong/);
    expect(fixtures()['relay-portal'].stats().parcelSearches).toBe(1);
  });
});

describe('parcelbot portal check relay-portal', () => {
  it('exits 1 with one line when the portal sends its login page to another host, loading nothing from there', { timeout: SLOW_MS }, async () => {
    const elsewhere = await startLocalSite((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<form id="login-form"></form>'));
    try {
      const { env } = await world(AGENT);
      // Logged in first, the session kept in Redis: the next check logs in no more, and opens the login page logged out only.
      const first = await runCli(['portal', 'check', 'relay-portal'], env);
      expect(first.code, first.stderr).toBe(0);
      fixtures()['relay-portal'].configure({ signInMovedTo: `${elsewhere.url}/sso/login` });
      const moved = await runCli(['portal', 'check', 'relay-portal'], env);
      expect(expectOneLineFailure(moved, 1, 'moved')).toBe(`parcelbot: check login: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`);
      expect(elsewhere.requests).toEqual([]);
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});
