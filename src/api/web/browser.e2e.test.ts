import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoParcels } from '../../../fixtures/demo/demo-parcels.ts';
import { REPO_ROOT } from '../../../fixtures/cli/run-cli.ts';
import { numberFor } from '../../../fixtures/laposte/testing.ts';
import { demoOrdersCsv } from '../../cli/commands/demo.ts';
import { importShipmentFile } from '../../import/import-shipments.ts';
import { BrowserProvider, findChromium } from '../../infra/browser.ts';
import { startSweep } from '../../jobs/sweep-session.ts';
import { type ApiWorld, TEST_USERS, passwordOf, startApiWorld } from '../testing/api-world.ts';
import { InMemoryFollowUps } from '../testing/in-memory-follow-ups.ts';
import { standInVerdicts } from '../testing/stand-in-verdicts.ts';

/**
 * The web app in real headless Chromium, on the demo's parcels swept by real workers through the
 * simulators. Screenshots go to test-artifacts/web (gitignored), or SCREENSHOTS_DIR (the README's
 * come from `SCREENSHOTS_DIR=docs/screenshots npx vitest run src/api/web/browser.e2e.test.ts`).
 */
const SCREENSHOTS = path.resolve(REPO_ROOT, process.env.SCREENSHOTS_DIR ?? 'test-artifacts/web');
const HOSTILE_LABEL = '<img src=x onerror=alert(1)>';
const SLOW_MS = 120_000;

describe('the web app in a browser', () => {
  let world: ApiWorld;
  let browser: Browser;
  let browsers: BrowserProvider;
  let baseUrl = '';
  let workers: { close(): Promise<void> } | undefined;
  const followUps = new InMemoryFollowUps();

  beforeAll(async () => {
    const off = Object.fromEntries(['LAPOSTE', 'DHL', 'UPS', 'FEDEX'].map((carrier) => [`${carrier}_RATE_LIMIT`, 'off']));
    world = await startApiWorld({ env: off, ports: { followUps, verdicts: standInVerdicts } });
    const { app } = world;
    const store = await app.store();
    const dir = await mkdtemp(path.join(tmpdir(), 'parcelbot-e2e-'));
    const file = path.join(dir, 'demo-orders.csv');
    await writeFile(file, demoOrdersCsv(loadDemoParcels(), app.clock.now()));
    await importShipmentFile(file, { strict: true, registry: app.registry, openDb: async () => store.db, now: app.clock.now() });
    await rm(dir, { recursive: true });

    workers = app.startWorkers(undefined, 4);
    // UPS is down for this sweep: its parcels end in the exception queue, as they would.
    world.fixtures.ups.setFaults({ fault: 'http-503' });
    const summary = await startSweep(app, { trigger: 'manual' });
    world.fixtures.ups.setFaults({});
    expect(summary.failed).toBe(6);
    for (const number of loadDemoParcels().filter((parcel) => parcel.carrier !== 'ups').slice(0, 8).map((parcel) => parcel.trackingNumber)) {
      const response = await world.server.inject({ method: 'POST', url: '/api/lookups?wait=20', headers: world.bearer('agent'), payload: { trackingNumber: number } });
      expect(response.statusCode).toBe(200);
    }
    await seedEvidenceAndFollowUps();

    baseUrl = await world.server.listen({ port: 0, host: '127.0.0.1' });
    browsers = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), pino({ level: 'silent' }));
    browser = await browsers.browser();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, SLOW_MS);

  afterAll(async () => {
    await browsers?.close();
    await workers?.close();
    await world?.close();
  });

  /** A portal failure with real evidence (the relay portal's changed page, rendered by this browser), a hostile event, and follow-ups. */
  async function seedEvidenceAndFollowUps(): Promise<void> {
    const store = await world.app.store();
    const html = await readFile(path.join(REPO_ROOT, 'fixtures/relay-portal/pages/parcel-changed-layout.html'), 'utf8');
    const shooter = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), pino({ level: 'silent' }));
    const page = await (await shooter.browser()).newPage({ viewport: { width: 900, height: 500 } });
    await page.setContent(html);
    const screenshot = (await page.screenshot()).toString('base64');
    await shooter.close();
    const trap = '<script>parent.document.title = "pwned"; alert(3)</script>';
    await store.exceptions.open({
      carrier: 'relay-portal',
      trackingNumber: 'RP3182746507',
      code: 'PORTAL_LAYOUT_CHANGED',
      message: 'parcel page: #rx-status-parcel is missing',
      evidence: { step: 'read parcel', request: { method: 'GET', url: 'https://business.relay.example/parcels/RP3182746507' }, html: html.replace('</body>', `${trap}</body>`), screenshot },
      jobId: 'lookup-evidence',
      openedAt: world.clock.now(),
    });
    const hostile = await store.tracking.recordSnapshot(
      {
        trackingNumber: numberFor('picked-up'),
        carrier: 'laposte',
        status: 'picked_up',
        isFinal: false,
        events: [{ at: '2026-03-10T06:00:00+01:00', code: 'PC1', label: HOSTILE_LABEL, status: 'picked_up', source: 'api', robot: 'laposte' }],
        unmappedCodes: [],
      },
      world.clock.now(),
    );
    const shipments = await store.shipments.list();
    const late = shipments.filter((shipment) => shipment.promisedTo && shipment.promisedTo < '2026-03-10' && shipment.status !== 'delivered');
    const add = (id: string, shipmentId: number, kind: Parameters<InMemoryFollowUps['add']>[0]['kind'], state: Parameters<InMemoryFollowUps['add']>[0]['state'], ruleId: string, params: Record<string, unknown> = {}) =>
      followUps.add({ id, shipmentId, kind, state, ruleId, reason: 'test', params, dueAt: '2026-03-10T09:00:00Z', createdAt: '2026-03-10T08:00:00Z' });
    add('reship-1', late[0]?.id ?? hostile.shipment.id, 'reshipment', 'awaiting_approval', 'reship-when-not-delivered-next-day', { reason: 'not delivered the day after the promise' });
    add('claim-1', late[1]?.id ?? hostile.shipment.id, 'carrier_claim', 'awaiting_approval', 'claim-lost-parcels', { type: 'lost' });
    add('refund-1', late[2]?.id ?? hostile.shipment.id, 'refund', 'awaiting_approval', 'refund-small-amounts', { amount: 19.9 });
    for (const [index, shipment] of late.slice(3, 9).entries()) add(`mail-${index}`, shipment.id, 'customer_email', index % 3 === 0 ? 'running' : 'done', 'notify-delay');
  }

  async function signIn(role: 'agent' | 'manager' | 'admin'): Promise<{ page: Page; dialogs: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${baseUrl}/agent`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    if (role === 'agent') await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });
    await page.fill('input[name=name]', TEST_USERS[role]);
    await page.fill('input[name=password]', passwordOf(TEST_USERS[role]));
    await Promise.all([page.waitForURL(`${baseUrl}/agent`), page.click('button[type=submit]')]);
    return { page, dialogs };
  }

  it('lets an agent sign in, find a parcel at its carrier and copy the answer; a hostile event label shows as text', { timeout: SLOW_MS }, async () => {
    const { page, dialogs } = await signIn('agent');
    await page.fill('input[name=q]', numberFor('out-for-delivery'));
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    await expect.poll(() => page.textContent('dd.status')).toBe('out for delivery');
    expect(await page.textContent('dd.contacts')).toBe('1 look-up of this parcel');
    await page.click('button.copy');
    await expect.poll(() => page.textContent('button.copy')).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('en cours de livraison');

    // A customer asking by e-mail: an imported order, late against its promise.
    await page.fill('input[name=q]', 'hugo.thomas@example.com');
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    expect(await page.textContent('dd.verdict')).toBe('late');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'agent.png'), fullPage: true });

    await page.fill('input[name=q]', numberFor('picked-up'));
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    expect(await page.textContent('table.timeline td.label')).toBe(HOSTILE_LABEL);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('lets a manager approve a follow-up from the queue and see its state change; evidence HTML never runs', { timeout: SLOW_MS }, async () => {
    const { page, dialogs } = await signIn('manager');
    await page.goto(`${baseUrl}/manager/queue`);
    expect(await page.locator('table.exceptions tbody tr').count()).toBe(7);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exception-queue.png'), fullPage: true });

    const row = page.locator('tr[data-follow-up="reship-1"]');
    expect(await row.locator('td.state').textContent()).toBe('awaiting_approval');
    await Promise.all([page.waitForURL(/action=approve&done=1/), row.getByRole('button', { name: 'Approve' }).click()]);
    expect(await page.textContent('p.notice')).toBe('approve: 1 done.');
    expect(await page.locator('tr[data-follow-up="reship-1"]').count()).toBe(0);
    const shipmentId = (await followUps.get('reship-1'))?.shipmentId;
    await page.goto(`${baseUrl}/agent/shipments/${shipmentId}`);
    expect(await page.locator('section', { hasText: 'Follow-ups' }).locator('td', { hasText: 'reshipment' }).locator('xpath=following-sibling::td[1]').textContent()).toBe('proposed');

    await page.goto(`${baseUrl}/manager/queue?code=PORTAL_LAYOUT_CHANGED`);
    await Promise.all([page.waitForURL(/\/manager\/exceptions\/\d+$/), page.click('table.exceptions a')]);
    const frame = page.frameLocator('iframe.captured');
    await expect.poll(() => frame.locator('#rx-number-parcel').textContent()).toBe('RP3182746507');
    expect(await page.title()).toMatch(/^Exception #\d+ · parcelbot$/);
    expect(await page.locator('img.screenshot').evaluate((image) => (image as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBe(900);
    expect(dialogs).toEqual([]);
    // A tall viewport rather than fullPage: Chromium leaves a sandboxed frame below the fold blank in full-page captures.
    await page.setViewportSize({ width: 1280, height: 1750 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exception.png') });

    await page.goto(`${baseUrl}/dashboard`);
    expect(await page.locator('svg[role=img]').count()).toBe(4);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    await page.context().close();
  });

  it('opens the queue console to an admin', { timeout: SLOW_MS }, async () => {
    const { page } = await signIn('admin');
    await page.goto(`${baseUrl}/admin/queues/`);
    await page.goto(`${baseUrl}/admin/queues/queue/track-laposte?status=completed`);
    await expect.poll(() => page.getByText('Loading...').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByText('Completed').first().isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'queue-console.png') });
    await page.context().close();
  });
});
