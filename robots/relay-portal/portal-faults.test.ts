import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { numberFor, PortalVisitor } from '../../fixtures/relay-portal/testing.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { AGENT, useRelayRobot } from './test-portal.ts';

const { portal, robot, clock, base, maskedPixels } = await useRelayRobot('faults');

describe('portal faults', () => {
  it.each([
    ['a wrong password', { RELAY_PORTAL_PASSWORD: 'not-the-password' }, () => {}],
    ['a password changed on the portal', {}, () => portal.configure({ refuseLogins: true })],
  ])('%s: PORTAL_LOGIN_REFUSED, and the next job does not try again', async (_, env, fault) => {
    fault();
    const relay = robot(env);
    const error = await rejectionOf(relay.track([numberFor('collected')]));
    expect(error.code).toBe('PORTAL_LOGIN_REFUSED');
    expect(error.evidence).toMatchObject({ step: 'log in', screenshot: expect.any(String) });
    expect(error.evidence?.html).toContain('Incorrect e-mail address or password.');
    // The login the portal typed back into its form is blanked, in the HTML and in the picture.
    expect(error.evidence?.html).not.toContain(DEMO_ACCOUNTS.withTotp.email);
    expect(error.evidence?.html).toMatch(/id="login-email"[^>]*value="\[blanked\]"/);
    expect(await maskedPixels(error.evidence!.screenshot!)).toBeGreaterThan(100);
    const calls = portal.stats().totalCalls;
    expect((await rejectionOf(relay.track([numberFor('collected')]))).code).toBe('PORTAL_LOGIN_REFUSED');
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, totalCalls: calls });
  });

  it('a wrong authenticator secret: tried once more with the next code, then PORTAL_LOGIN_REFUSED at the code step', async () => {
    const error = await rejectionOf(robot({ RELAY_PORTAL_TOTP_SECRET: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }).track([numberFor('collected')]));
    expect(error).toMatchObject({ code: 'PORTAL_LOGIN_REFUSED', evidence: { step: 'enter code' } });
    expect(portal.stats()).toMatchObject({ loginAttempts: 1, codesChecked: 2, loginsRefused: 2, loginsSucceeded: 0 });
  });

  it("the portal's search API failing: PORTAL_PAGE_ERROR (retried), and the next look-up finds the parcel", async () => {
    portal.configure({ searchApiFailures: 1 });
    const relay = robot(AGENT);
    const error = await rejectionOf(relay.track([numberFor('collected')]));
    expect(error).toMatchObject({ code: 'PORTAL_PAGE_ERROR', evidence: { step: 'search parcel' } });
    expect(error.evidence?.html).toContain('The search failed: try again.');
    expect((await relay.track([numberFor('collected')]))[0]!.kind).toBe('found');
  });

  it('an account locked by failed logins: PORTAL_ACCOUNT_LOCKED even with the right password', async () => {
    portal.configure({ lockAfterFailures: 3 });
    const person = new PortalVisitor(base);
    for (let i = 0; i < 3; i++) await person.logIn({ ...DEMO_ACCOUNTS.withoutTotp, password: 'typo' }, clock.now());
    const error = await rejectionOf(robot(AGENT).track([numberFor('collected')]));
    expect(error.code).toBe('PORTAL_ACCOUNT_LOCKED');
    expect(error.evidence?.html).toContain('Your account is locked');
  });

  it('a portal error page: PORTAL_PAGE_ERROR with the page and the step', async () => {
    const relay = robot();
    await relay.track([numberFor('collected')]);
    portal.setFaults({ fault: 'http-500', times: 1 });
    const error = await rejectionOf(relay.track([numberFor('collected')]));
    expect(error).toMatchObject({ code: 'PORTAL_PAGE_ERROR', evidence: { step: 'search parcel', status: 500 } });
    expect(error.evidence?.html).toContain('Something went wrong');
    expect((await relay.track([numberFor('collected')]))[0]!.kind).toBe('found');
  });

  it.each([
    ['on the login page', false, 'open login page'],
    ['once logged in', true, 'search parcel'],
  ])('a changed layout %s: PORTAL_LAYOUT_CHANGED with a screenshot, the HTML and the step', async (_, warm, step) => {
    const relay = robot();
    if (warm) await relay.track([numberFor('collected')]);
    portal.setFaults({ fault: 'changed-layout' });
    const error = await rejectionOf(relay.track([numberFor('collected')]));
    expect(error.code).toBe('PORTAL_LAYOUT_CHANGED');
    expect(error.evidence).toMatchObject({ step, screenshot: expect.any(String), html: expect.stringContaining('rx-') });
    expect(error.evidence?.html).not.toMatch(/@shop\.example/);
    expect(Buffer.from(error.evidence!.screenshot!, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('slow pages: still answers within the timeout', async () => {
    portal.setFaults({ latencyMs: 250 });
    const started = performance.now();
    expect((await robot().track([numberFor('damaged')]))[0]!.kind).toBe('found');
    // The login's five requests, the search page, its JSON search and the parcel page: each 250 ms late.
    expect(performance.now() - started).toBeGreaterThan(8 * 250);
  });

  it('a page that never comes: PORTAL_PAGE_ERROR once RELAY_PORTAL_TIMEOUT_MS has passed', async () => {
    // Logged in with the usual timeout, so a busy machine does not fail the login instead.
    await robot().track([numberFor('collected')]);
    const impatient = robot({ RELAY_PORTAL_TIMEOUT_MS: '1500' });
    portal.setFaults({ fault: 'timeout', times: 1 });
    const error = await rejectionOf(impatient.track([numberFor('collected')]));
    expect(error).toMatchObject({ code: 'PORTAL_PAGE_ERROR', evidence: { step: 'search parcel' } });
    expect(error.message).toMatch(/did not load/);
    expect(portal.stats().heldCalls).toBe(1);
  });
});
