import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSite, startLocalSite } from '../../fixtures/testing/local-site.ts';
import type { Page, PortalAccount } from '../robot-kit/portal.ts';
import { openPage } from '../robot-kit/portal-steps.ts';
import { TEST_REDIS_URL } from '../testing/test-app.ts';
import { BrowserProvider, findChromium } from './browser.ts';
import { createHttpClient } from './http-client.ts';
import { createPortalSessions } from './portal-sessions.ts';
import { deleteKeysWithPrefix } from './redis.ts';

/**
 * A portal page as many are: its own stylesheet, and a tracker's pixel, script, stylesheet and
 * frame, a beacon its script sends and a websocket it opens elsewhere, an image of its own that
 * redirects elsewhere. `body[data-done]` says its script ran to the end.
 */
function portalPage(elsewhere: string): string {
  const socket = elsewhere.replace(/^http/, 'ws');
  return `<!DOCTYPE html><html><head><link rel="stylesheet" href="/own.css"><link rel="stylesheet" href="${elsewhere}/tracker.css">
<script src="${elsewhere}/tracker.js"></script></head>
<body><p id="ok">portal page</p><img src="${elsewhere}/pixel.gif"><img src="/hop.gif"><iframe src="${elsewhere}/frame"></iframe>
<script>
try { new WebSocket('${socket}/live'); } catch {}
fetch('${elsewhere}/beacon', { method: 'POST', body: 'seen' }).catch(() => {}).finally(() => { document.body.dataset.done = '1'; });
</script></body></html>`;
}

describe('a portal session in a browser reaches the portal and nothing else', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const logger = pino({ level: 'silent' });
  const browsers = new BrowserProvider(() => findChromium(process.env.PARCELBOT_CHROMIUM), logger);
  const http = createHttpClient();
  const prefix = `test-guard-${randomBytes(4).toString('hex')}`;
  let elsewhere: LocalSite;
  let portal: LocalSite;
  let sessions: ReturnType<typeof createPortalSessions>;
  let account: PortalAccount;
  const onPortal = <T>(work: (page: Page) => Promise<T>) => sessions.withPage(account, (page) => openPage(page, `${portal.url}/login`, 'open login page').then(() => {}), work);

  beforeAll(async () => {
    elsewhere = await startLocalSite();
    portal = await startLocalSite((request, response) => {
      if (request.url === '/page') return void response.writeHead(200, { 'content-type': 'text/html' }).end(portalPage(elsewhere.url));
      if (request.url === '/hop.gif') return void response.writeHead(302, { location: `${elsewhere.url}/hop.gif` }).end();
      if (request.url === '/away') return void response.writeHead(302, { location: `${elsewhere.url}/landing` }).end();
      if (request.url === '/own.css') return void response.writeHead(200, { 'content-type': 'text/css' }).end('p { color: green }');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<form id="login">sign in</form>');
    });
    account = { key: 'guarded:portal', baseUrl: portal.url, login: 'ops@example.com', password: 'right-password' };
    sessions = createPortalSessions({ browsers, http, redis, prefix, maxPagesPerAccount: 2, sessionTtlMs: 3_600_000, timeoutMs: 10_000, logger });
  });
  afterAll(async () => {
    await sessions?.close();
    await browsers.close();
    await http.close();
    await portal?.close();
    await elsewhere?.close();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it("loads the portal's page with its own resources; those of other hosts are never requested", async () => {
    const text = await onPortal(async (page) => {
      await openPage(page, `${portal.url}/page`, 'read page');
      await page.waitForLoadState('load');
      await page.locator('body[data-done]').waitFor({ state: 'attached' });
      return page.locator('#ok').textContent();
    });
    expect(text).toBe('portal page');
    expect(portal.requests).toEqual(expect.arrayContaining(['GET /page', 'GET /own.css', 'GET /hop.gif']));
    expect(elsewhere.requests).toEqual([]);
    expect(elsewhere.connections).toBe(0);
  });

  it('does not open a link to another host: HOST_NOT_ALLOWED, final', async () => {
    const refused = onPortal((page) => openPage(page, `${elsewhere.url}/labels/RP1.pdf?token=abc`, 'download label'));
    await expect(refused).rejects.toMatchObject({
      code: 'HOST_NOT_ALLOWED',
      policy: 'final',
      message: `download label: ${elsewhere.url} is not the portal's host: not opened`,
      evidence: { step: 'download label', request: { method: 'GET', url: `${elsewhere.url}/labels/RP1.pdf` } },
    });
    expect(elsewhere.connections).toBe(0);
  });

  it("follows no redirect to another host, and the context's request API reaches none", async () => {
    // Final, named as such: retried, the page would meet the same redirect.
    await expect(onPortal((page) => openPage(page, `${portal.url}/away`, 'open page'))).rejects.toMatchObject({
      code: 'HOST_NOT_ALLOWED',
      message: `open page: the portal redirected the page to ${elsewhere.url}, which is not the portal's host: not followed`,
      evidence: { step: 'open page', request: { method: 'GET', url: `${portal.url}/away` } },
    });
    // The proxy refuses the tunnel: Playwright answers its 403.
    expect(await onPortal(async (page) => (await page.request.get(`${elsewhere.url}/download`, { maxRedirects: 0 })).status())).toBe(403);
    expect(portal.requests).toContain('GET /away');
    expect(elsewhere.requests).toEqual([]);
    expect(elsewhere.connections).toBe(0);
  });
});
