import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSite, startLocalSite } from '../../fixtures/testing/local-site.ts';
import { loadConfig } from '../config.ts';
import { createHttpClient } from '../infra/http-client.ts';
import { type TestWorld, startTestWorld } from '../testing/test-app.ts';
import { AllowedHosts } from './allowed-hosts.ts';
import { RobotRegistry } from './registry.ts';
import type { RobotError } from './robot-error.ts';

describe('allowed hosts', () => {
  it('are the origins of the configured URLs: scheme, host and port', () => {
    const hosts = new AllowedHosts(['https://api.laposte.fr/suivi/v2', 'http://127.0.0.1:8080/relay-portal']);
    expect(hosts.allows('https://api.laposte.fr/anything?key=1')).toBe(true);
    expect(hosts.allows('https://api.laposte.fr:443/suivi')).toBe(true);
    expect(hosts.allows('http://127.0.0.1:8080/seller-portal')).toBe(true);
    for (const elsewhere of ['http://api.laposte.fr/suivi', 'https://evil.laposte.fr/', 'https://api.laposte.fr.evil.example/', 'https://api.laposte.fr@evil.example/', 'http://127.0.0.1:8081/', 'http://localhost:8080/', 'not a url']) {
      expect(hosts.allows(elsewhere), elsewhere).toBe(false);
    }
    // A proxy's CONNECT names host and port only.
    expect(hosts.allowsAuthority('api.laposte.fr:443')).toBe(true);
    expect(hosts.allowsAuthority('127.0.0.1:8080')).toBe(true);
    expect(hosts.allowsAuthority('127.0.0.1:8081')).toBe(false);
  });

  it("of a robot are the URLs among its settings, defaults included, and nothing else", async () => {
    const config = loadConfig(
      { AMAZON_SPAPI_URL: 'https://sellingpartnerapi-eu.amazon.com', RELAY_PORTAL_URL: 'https://pro.relay.example/business', RELAY_PORTAL_PASSWORD: 'https://not-a-host.example' },
      (await RobotRegistry.load()).all(),
    );
    const amazon = AllowedHosts.ofSettings(config.robots.amazon);
    expect(amazon.allows('https://sellingpartnerapi-eu.amazon.com/orders/v0/orders')).toBe(true);
    expect(amazon.allows('https://api.amazon.com/auth/o2/token')).toBe(true);
    expect(amazon.allows('https://pro.relay.example/')).toBe(false);
    const relay = AllowedHosts.ofSettings(config.robots['relay-portal']);
    expect(relay.allows('https://pro.relay.example/login')).toBe(true);
    expect(relay.allows('https://sellingpartnerapi-eu.amazon.com/')).toBe(false);
  });

  describe('over HTTP', () => {
    let elsewhere: LocalSite;
    let redirector: LocalSite;
    let world: TestWorld;
    beforeAll(async () => {
      elsewhere = await startLocalSite();
      // Sends every request elsewhere, as a portal or an API taken over, or a link, might.
      redirector = await startLocalSite((request, response) => response.writeHead(302, { location: `${elsewhere.url}/collect${request.url}` }).end());
      world = await startTestWorld({
        env: { SELLER_PORTAL_URL: redirector.url, SELLER_PORTAL_LOGIN: 'ops@seller.example', SELLER_PORTAL_PASSWORD: 'seller-password-1', LAPOSTE_API_URL: redirector.url },
      });
    });
    afterAll(async () => {
      await world?.close();
      await redirector?.close();
      await elsewhere?.close();
    });

    it('a request to another host is refused before anything is sent: HOST_NOT_ALLOWED, final, naming origins only', async () => {
      const http = new AllowedHosts([redirector.url]).guard(createHttpClient());
      const refused = await http.request({ method: 'GET', url: `${elsewhere.url}/label.pdf?token=secret-token-1` }).then(() => undefined, (error: RobotError) => error);
      expect(refused).toMatchObject({ code: 'HOST_NOT_ALLOWED', policy: 'final', evidence: { request: { method: 'GET', url: `${elsewhere.url}/label.pdf` } } });
      expect(refused?.message).toBe(`GET to ${elsewhere.url} refused: not a host this robot is configured for (${redirector.url})`);
      expect((await http.request({ method: 'GET', url: `${redirector.url}/ok` })).status).toBe(302);
      expect(elsewhere.requests).toEqual([]);
    });

    it("a portal robot over HTTP does not follow a redirect to another host; an API robot follows none", async () => {
      const seller = world.app.robot('seller-portal');
      await expect(seller.readOrder!('ORDER-1')).rejects.toMatchObject({ code: 'HOST_NOT_ALLOWED', message: expect.stringContaining(elsewhere.url) });
      await expect(world.app.robot('laposte').track!(['6A12345678901'])).rejects.toMatchObject({ name: 'RobotError' });
      expect(redirector.requests.length).toBeGreaterThanOrEqual(2);
      expect(elsewhere.requests).toEqual([]);
    });
  });
});
