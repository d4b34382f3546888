import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../fixtures/relay-portal/simulator.ts';
import { numberFor, PortalVisitor } from '../../fixtures/relay-portal/testing.ts';
import { startLocalSite } from '../../fixtures/testing/local-site.ts';
import { inside, maskedPixels as maskedPixelsIn, pngSize } from '../../fixtures/testing/masked-pixels.ts';
import { rejectionOf } from '../../fixtures/testing/robot-errors.ts';
import { AGENT, useRelayRobot } from './test-portal.ts';

/** What the portal's probabilistic faults draw, one number a page; none left: no fault. */
const draws: number[] = [];
const { portal, robot, clock, base, maskedPixels, browser } = await useRelayRobot('faults', { 'relay-portal': { random: () => draws.shift() ?? 1 } });

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

  it('a sign-in form answered with a redirect to another host: HOST_NOT_ALLOWED, final, and nothing loaded from there', async () => {
    const elsewhere = await startLocalSite();
    try {
      portal.configure({ formsRedirectTo: `${elsewhere.url}/sso/continue` });
      const error = await rejectionOf(robot(AGENT).track([numberFor('collected')]));
      expect(error).toMatchObject({
        code: 'HOST_NOT_ALLOWED',
        policy: 'final',
        message: `log in: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
        evidence: { step: 'log in', request: { method: 'POST', url: `${base}/login` } },
      });
      expect(elsewhere.connections).toBe(0);
    } finally {
      await elsewhere.close();
    }
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

  it("a changed layout on a parcel page: the screenshot has the recipient's name and phone painted over, and nothing that locates the failure", async () => {
    const number = numberFor('ready-for-pickup');
    const relay = robot(AGENT);
    await relay.track([number]);
    // The search page as it was, the parcel page redesigned.
    portal.setFaults({ fault: 'changed-layout', probability: 0.5 });
    draws.push(0.9, 0.1);
    const error = await rejectionOf(relay.track([number]));
    expect(error).toMatchObject({ code: 'PORTAL_LAYOUT_CHANGED', evidence: { step: 'read parcel' } });
    const screenshot = error.evidence?.screenshot ?? '';

    // Where each cell was: the same page, fetched from the portal, drawn unmasked in a page of the
    // robot's size. Found by their text, not by the robot's PERSONAL_CELLS.
    const person = new PortalVisitor(base);
    await person.logIn(DEMO_ACCOUNTS.withoutTotp, clock.now());
    draws.push(0.1);
    const { text: html } = await person.get(`/parcels/${number}`);
    const recipient = { name: 'Camille Martin', phone: '+33 6 12 34 56 78' };
    expect(html).toContain(recipient.name);
    expect(html).toContain('rx-');
    const page = await (await browser()).newPage();
    try {
      await page.setContent(html);
      const boxOf = async (element: Locator) => inside(await element.boundingBox());
      const personal = [await boxOf(page.getByText(recipient.name)), await boxOf(page.getByRole('link', { name: recipient.phone }))];
      const locating = [await boxOf(page.getByText(number, { exact: true })), await boxOf(page.getByText('Tabac de la Gare, 12 rue de la Gare, 69003 Lyon', { exact: true }))];
      // Drawn alike: the boxes measured here are those of the screenshot.
      expect(pngSize(screenshot)).toEqual(await page.evaluate<number[]>('[document.documentElement.scrollWidth, document.documentElement.scrollHeight]'));

      for (const { masked, total } of await maskedPixelsIn(await browser(), screenshot, personal)) expect(masked).toBe(total);
      for (const { masked } of await maskedPixelsIn(await browser(), screenshot, locating)) expect(masked).toBe(0);
    } finally {
      await page.close();
    }
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
