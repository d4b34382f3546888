import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemoParcels } from '../../../fixtures/demo/demo-parcels.ts';
import { REPO_ROOT } from '../../../fixtures/cli/run-cli.ts';
import { numberFor } from '../../../fixtures/laposte/testing.ts';
import { numberFor as relayNumber } from '../../../fixtures/relay-portal/testing.ts';
import { demoOrdersCsv } from '../../cli/commands/demo.ts';
import { importShipmentFile } from '../../import/import-shipments.ts';
import { BrowserProvider, findChromium } from '../../infra/browser.ts';
import type { ListedFollowUp } from '../../store/follow-up-repository.ts';
import { type ApiWorld, TEST_USERS, passwordOf, startApiWorld } from '../testing/api-world.ts';

/**
 * The web app in real headless Chromium, on the demo's parcels: imported, swept over the API by
 * real workers through the simulators, judged, and their follow-ups proposed by the default rules
 * and run by a real follow-up worker (those above FOLLOWUP_APPROVAL_ABOVE wait for a manager).
 * Screenshots go to test-artifacts/web (gitignored), or SCREENSHOTS_DIR (the README's come from
 * `npm run screenshots`).
 */
const SCREENSHOTS = path.resolve(REPO_ROOT, process.env.SCREENSHOTS_DIR ?? 'test-artifacts/web');
const HOSTILE_LABEL = '<img src=x onerror=alert(1)>';
/** Reshipments, refunds and claims above this wait for a manager: a good part of the demo's late parcels. */
const APPROVAL_ABOVE = 150;
const SLOW_MS = 240_000;

describe('the web app in a browser', () => {
  let world: ApiWorld;
  let browser: Browser;
  let browsers: BrowserProvider;
  let baseUrl = '';
  const workers: { close(): Promise<void> }[] = [];
  /** The exception a real robot failure opened, with its screenshot and page HTML. */
  let portalFailureId = 0;
  let hostilePageId = 0;

  beforeAll(async () => {
    const off = Object.fromEntries(['LAPOSTE', 'DHL', 'UPS', 'FEDEX'].map((carrier) => [`${carrier}_RATE_LIMIT`, 'off']));
    world = await startApiWorld({ env: { ...off, FOLLOWUP_APPROVAL_ABOVE: String(APPROVAL_ABOVE), FOLLOWUP_ATTEMPTS: '2', FOLLOWUP_BACKOFF_MS: '20' } });
    const { app } = world;
    const store = await app.store();
    const dir = await mkdtemp(path.join(tmpdir(), 'parcelbot-e2e-'));
    const file = path.join(dir, 'demo-orders.csv');
    await writeFile(file, demoOrdersCsv(loadDemoParcels(), app.clock.now()));
    await importShipmentFile(file, { strict: true, registry: app.registry, openDb: async () => store.db, now: app.clock.now() });
    await rm(dir, { recursive: true });

    workers.push(app.startWorkers(undefined, 4), app.startFollowUpWorker(4));
    // UPS is down for this sweep: its parcels end in the exception queue, as they would.
    world.fixtures.ups.setFaults({ fault: 'http-503' });
    const sweep = await sweepOverTheApi();
    world.fixtures.ups.setFaults({});
    expect(sweep).toMatchObject({ state: 'done', trigger: 'api', failed: 6 });
    await followUpsSettled();

    for (const number of loadDemoParcels().filter((parcel) => parcel.carrier === 'laposte').slice(0, 8).map((parcel) => parcel.trackingNumber)) {
      const response = await world.server.inject({ method: 'POST', url: '/api/lookups?wait=20', headers: world.bearer('agent'), payload: { trackingNumber: number } });
      expect(response.statusCode).toBe(200);
    }
    await portalFailure();
    await hostileContent();

    baseUrl = await world.server.listen({ port: 0, host: '127.0.0.1' });
    browsers = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), pino({ level: 'silent' }));
    browser = await browsers.browser();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, SLOW_MS);

  afterAll(async () => {
    await browsers?.close();
    for (const worker of workers) await worker.close();
    await world?.close();
  });

  /** POST /api/sweeps answers at once; the sweep is followed until done. */
  async function sweepOverTheApi() {
    const admin = world.bearer('admin');
    const started = await world.server.inject({ method: 'POST', url: '/api/sweeps', headers: admin });
    expect(started.statusCode).toBe(202);
    const read = async () => (await world.server.inject({ method: 'GET', url: `/api/sweeps/${started.json().id}`, headers: admin })).json();
    return vi.waitFor(
      async () => {
        const sweep = await read();
        if (sweep.state !== 'done') throw new Error(`sweep ${sweep.id} is ${sweep.state}`);
        return sweep;
      },
      { timeout: 150_000, interval: 250 },
    );
  }

  /**
   * Every follow-up due now has run (done or failed for good): none waits in the queue or runs. A
   * job delayed past now (a claim put off until its window opens) is not due: it is not waited for.
   */
  async function followUpsSettled(): Promise<void> {
    const { queue } = world.app.followUps.queue;
    const dueLater = async () => (await queue.getDelayed()).filter((job) => job.timestamp + (job.delay ?? 0) > Date.now() + 60_000).length;
    const counts = async () => Object.values(await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed')).reduce((sum, count) => sum + count, 0) - (await dueLater());
    await vi.waitFor(
      async () => {
        const left = await counts();
        if (left > 0) throw new Error(`${left} follow-up jobs still to run`);
      },
      { timeout: 150_000, interval: 250 },
    );
  }

  /** An agent looks a relay parcel up while the portal's pages are redesigned: the robot fails and keeps its screenshot and the page. */
  async function portalFailure(): Promise<void> {
    world.fixtures['relay-portal'].setFaults({ fault: 'changed-layout' });
    const response = await world.server.inject({ method: 'POST', url: '/api/lookups?wait=60', headers: world.bearer('agent'), payload: { trackingNumber: relayNumber('ready-for-pickup'), carrier: 'relay-portal' } });
    world.fixtures['relay-portal'].setFaults({});
    expect(response.json().lookups[0]).toMatchObject({ state: 'failed', outcome: 'failed' });
    const store = await world.app.store();
    const [failure] = (await store.exceptionQueue.list({ codes: ['PORTAL_LAYOUT_CHANGED'], limit: 10 })).items;
    portalFailureId = failure?.id ?? 0;
    expect((await store.exceptionQueue.get(portalFailureId))?.evidence).toMatchObject({ html: expect.any(String), screenshot: expect.any(String) });
  }

  /** What a carrier or a portal could send: an event label that is markup, and a captured page carrying a script aimed at the app. */
  async function hostileContent(): Promise<void> {
    const store = await world.app.store();
    await store.tracking.recordSnapshot(
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
    const captured = (await store.exceptionQueue.get(portalFailureId))?.evidence?.html ?? '';
    const trap = '<script>parent.document.title = "pwned"; alert(3)</script>';
    await store.exceptions.open({
      carrier: 'relay-portal',
      trackingNumber: 'RP3182746507',
      code: 'PORTAL_LAYOUT_CHANGED',
      message: 'parcel page: a script aimed at the app',
      evidence: { step: 'read parcel', html: captured.replace('</body>', `${trap}</body>`) },
      jobId: 'lookup-hostile-page',
      openedAt: world.clock.now(),
    });
    hostilePageId = (await store.exceptionQueue.list({ codes: ['PORTAL_LAYOUT_CHANGED'], sort: 'newest', limit: 1 })).items[0]?.id ?? 0;
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

  const stateOf = (page: Page, followUpId: string) => page.locator(`table.follow-ups tr[data-follow-up="${followUpId}"] td.state`).textContent();

  it('lets an agent sign in, find a parcel at its carrier and copy the answer, and see a late case as judged; a hostile event label shows as text', { timeout: SLOW_MS }, async () => {
    const { page, dialogs } = await signIn('agent');
    await page.fill('input[name=q]', numberFor('out-for-delivery'));
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    await expect.poll(() => page.textContent('dd.status')).toBe('out for delivery');
    expect(await page.textContent('dd.contacts')).toBe('1 look-up of this parcel');
    await page.click('button.copy');
    await expect.poll(() => page.textContent('button.copy')).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('en cours de livraison');

    // A customer asking by e-mail: an imported order, late against its promise, judged by the sweep.
    await page.fill('input[name=q]', 'hugo.thomas@example.com');
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    const store = await world.app.store();
    const [hugo] = await store.shipmentSearch.search({ search: 'hugo.thomas@example.com', limit: 1 });
    expect(hugo?.verdict).toBe('late');
    expect(await page.textContent('dd.verdict')).toBe('late');
    expect(await page.textContent('dd.verdict-reasons')).toBe((await store.shipmentSearch.verdictReasons(hugo?.id ?? 0)).join(' '));
    const followUps = await world.app.followUps.list({ shipmentId: hugo?.id });
    expect(followUps.map((followUp) => followUp.kind).sort()).toEqual(['carrier_claim', 'customer_email', 'reshipment']);
    for (const followUp of followUps) expect(await stateOf(page, followUp.id)).toBe(followUp.state);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'agent.png'), fullPage: true });

    await page.fill('input[name=q]', numberFor('picked-up'));
    await Promise.all([page.waitForURL(/\/agent\/shipments\/\d+$/), page.click('.search button')]);
    expect(await page.textContent('table.timeline td.label')).toBe(HOSTILE_LABEL);
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  it('lets a manager approve a follow-up from the queue and see it change state and run, named in its audit trail; evidence HTML never runs', { timeout: SLOW_MS }, async () => {
    const { page, dialogs } = await signIn('manager');
    await page.goto(`${baseUrl}/manager/queue`);
    const store = await world.app.store();
    const awaiting = await world.app.followUps.list({ state: 'awaiting_approval' });
    expect(awaiting.map((followUp) => followUp.valueAtStake ?? Infinity).every((value) => value > APPROVAL_ABOVE)).toBe(true);
    expect(await page.locator('table.awaiting tbody tr').count()).toBe(awaiting.length);
    expect(await page.locator('table.exceptions tbody tr').count()).toBe((await store.exceptionQueue.list({ limit: 200 })).total);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exception-queue.png'), fullPage: true });

    const reshipment = awaiting.find((followUp) => followUp.kind === 'reshipment') as ListedFollowUp;
    const row = page.locator(`tr[data-follow-up="${reshipment.id}"]`);
    expect(await row.locator('td.state').textContent()).toBe('awaiting_approval');
    await Promise.all([page.waitForURL(/\/manager\/queue\?outcome=/), row.getByRole('button', { name: 'Approve' }).click()]);
    expect(await page.textContent('p.notice')).toBe('approve: 1 done.');
    expect(await page.locator(`tr[data-follow-up="${reshipment.id}"]`).count()).toBe(0);

    // The follow-up worker picks it up: the case shows it approved, then done with the order system's reference.
    await page.goto(`${baseUrl}/agent/shipments/${reshipment.shipmentId}`);
    expect(await stateOf(page, reshipment.id)).not.toBe('awaiting_approval');
    await expect
      .poll(
        async () => {
          await page.reload();
          return stateOf(page, reshipment.id);
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe('done');
    const trail = page.locator(`tr[data-follow-up="${reshipment.id}"] + tr.trail details`);
    await trail.locator('summary').click();
    expect(await trail.textContent()).toContain('manager:marc approved (awaiting approval → proposed)');
    const record = await world.app.followUps.get(reshipment.id);
    expect(record?.audit.find((entry) => entry.event === 'approved')).toMatchObject({ actor: 'manager:marc', fromState: 'awaiting_approval', toState: 'proposed' });
    expect(record?.followUp).toMatchObject({ state: 'done', result: { summary: expect.stringMatching(/^replacement order RS-\d+ made in the OMS/) } });
    expect(await page.textContent(`tr[data-follow-up="${reshipment.id}"] td.result`)).toBe(record?.followUp.result?.summary);

    await page.goto(`${baseUrl}/manager/exceptions/${hostilePageId}`);
    await expect.poll(() => page.frameLocator('iframe.captured').locator('body').count()).toBe(1);
    expect(await page.title()).toBe(`Exception #${hostilePageId} · parcelbot`);
    expect(dialogs).toEqual([]);

    await page.goto(`${baseUrl}/manager/queue?code=PORTAL_LAYOUT_CHANGED&sort=oldest`);
    await Promise.all([page.waitForURL(`${baseUrl}/manager/exceptions/${portalFailureId}`), page.click(`table.exceptions a[href="/manager/exceptions/${portalFailureId}"]`)]);
    await expect.poll(() => page.frameLocator('iframe.captured').locator('form').count()).toBeGreaterThan(0);
    expect(await page.locator('img.screenshot').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(dialogs).toEqual([]);
    // A tall viewport rather than fullPage: Chromium leaves a sandboxed frame below the fold blank in full-page captures.
    await page.setViewportSize({ width: 1280, height: 1750 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'exception.png') });

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}/dashboard`);
    expect(await page.locator('svg[role=img]').count()).toBe(4);
    const lateRates = await store.operationsStats.lateByCarrier(new Date(world.clock.now().getTime() - 30 * 86_400_000));
    expect(lateRates.some((entry) => entry.late > 0)).toBe(true);
    for (const { carrier, late, total } of lateRates) expect(await page.locator('svg[aria-label^="Late rate"] text', { hasText: `(${late}/${total})` }).count(), carrier).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    await page.context().close();
  });

  it('opens the queue console to an admin, the follow-up queue included', { timeout: SLOW_MS }, async () => {
    const { page } = await signIn('admin');
    await page.goto(`${baseUrl}/admin/queues/queue/followups?status=completed`);
    await expect.poll(() => page.getByText('Loading...').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByText('Completed').first().isVisible(), { timeout: 20_000 }).toBe(true);
    await page.goto(`${baseUrl}/admin/queues/queue/track-laposte?status=completed`);
    await expect.poll(() => page.getByText('Loading...').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.getByText('Completed').first().isVisible(), { timeout: 20_000 }).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'queue-console.png') });
    await page.context().close();
  });
});
