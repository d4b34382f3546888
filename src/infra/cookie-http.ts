import { CookieJar } from 'tough-cookie';
import { AllowedHosts } from '../robot-kit/allowed-hosts.ts';
import type { HttpClient } from '../robot-kit/http-client.ts';
import type { CookieHttp, CookieHttpResponse } from '../robot-kit/portal.ts';
import { redirectedOffHost } from '../robot-kit/portal-steps.ts';

const MAX_REDIRECTS = 10;

/**
 * A browser's cookie behaviour over plain HTTP: cookies kept per the RFC (tough-cookie), redirects
 * followed (a POST answered 302/303 becomes a GET, as browsers do). The jar serializes, so a
 * logged-in session can be stored and shared like a browser's storage state. Only the portal's
 * own origin is reached: a redirect or a link elsewhere fails with HOST_NOT_ALLOWED, unsent; a
 * redirect says so as a browser page's does (`redirectedOffHost`).
 */
export function createCookieHttp(client: HttpClient, baseUrl: string, jar: CookieJar, timeoutMs: number): CookieHttp {
  const hosts = new AllowedHosts([baseUrl]);
  const http = hosts.guard(client);
  const url = (path: string) => new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();

  async function send(method: 'GET' | 'POST', target: string, body?: string, hops = 0): Promise<CookieHttpResponse> {
    const headers: Record<string, string> = { cookie: await jar.getCookieString(target), accept: 'text/html,application/xhtml+xml' };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await http.request({ method, url: target, headers, body, timeoutMs });
    for (const cookie of response.setCookies ?? []) await jar.setCookie(cookie, target, { ignoreError: true });
    const location = response.headers.location;
    if (response.status >= 300 && response.status < 400 && location && hops < MAX_REDIRECTS) {
      const next = new URL(location, target).toString();
      if (!hosts.allows(next)) throw redirectedOffHost(new URL(next).origin, { request: { method, url: target.split('?')[0] ?? target } });
      return response.status === 307 || response.status === 308 ? send(method, next, body, hops + 1) : send('GET', next, undefined, hops + 1);
    }
    return { ...response, method, url: target };
  }

  return {
    get: (path) => send('GET', url(path)),
    postForm: (path, fields) => send('POST', url(path), new URLSearchParams(fields).toString()),
    url,
  };
}

export function serializeJar(jar: CookieJar): string {
  return JSON.stringify(jar.serializeSync());
}

export function deserializeJar(state: string | undefined): CookieJar {
  return state ? CookieJar.deserializeSync(JSON.parse(state)) : new CookieJar();
}

/**
 * The cookies a serialized jar holds, without the access times tough-cookie updates on every
 * read: equal for two jars exactly when a portal changed none of their cookies.
 */
export function jarCookies(state: string): string {
  const { cookies = [] } = JSON.parse(state) as { cookies?: Record<string, unknown>[] };
  return JSON.stringify(cookies.map(({ creation: _creation, lastAccessed: _lastAccessed, ...cookie }) => cookie));
}
