import { Agent, createServer, type IncomingHttpHeaders, request as forward, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import type { Logger } from 'pino';
import { AllowedHosts } from '../robot-kit/allowed-hosts.ts';

/** Headers of one hop (browser to proxy, proxy to portal), never passed on. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

interface GuardProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Keeps each portal's browser contexts on the portal's own origin, two ways:
 * - every request a page makes is routed, and one to another host is aborted before it is sent
 *   (trackers, scripts and images of third parties, a link to elsewhere); a page opened that way
 *   fails with `net::ERR_BLOCKED_BY_CLIENT`, which `openPage` reports as HOST_NOT_ALLOWED;
 * - what Playwright's routing never sees (the hops of a redirect, the context's request API,
 *   websockets) goes through a proxy on the loopback that lets through the portal's origin alone.
 */
export class BrowserHostGuard {
  private readonly proxies = new Map<string, Promise<GuardProxy>>();

  constructor(private readonly logger: Logger) {}

  /** A new context of `browser` whose pages reach `baseUrl`'s origin and nothing else. */
  async newContext(browser: Browser, baseUrl: string, options: BrowserContextOptions): Promise<BrowserContext> {
    const hosts = new AllowedHosts([baseUrl]);
    const proxy = await this.proxyFor(baseUrl, hosts);
    // A service worker's requests would bypass the routing.
    const context = await browser.newContext({ ...options, serviceWorkers: 'block', proxy: { server: proxy.url } });
    // A page closing while its requests wait for their route makes them fail: nothing to answer then.
    await context.route('**/*', (route) => {
      const request = route.request();
      if (hosts.allows(request.url())) return route.continue().catch(() => {});
      this.logger.debug({ method: request.method(), origin: new URL(request.url()).origin }, 'portal page request to another host aborted');
      return route.abort('blockedbyclient').catch(() => {});
    });
    return context;
  }

  async close(): Promise<void> {
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map(async (proxy) => (await proxy.catch(() => undefined))?.close()));
  }

  private proxyFor(baseUrl: string, hosts: AllowedHosts): Promise<GuardProxy> {
    const origin = new URL(baseUrl).origin;
    let proxy = this.proxies.get(origin);
    if (!proxy) {
      proxy = startGuardProxy(hosts, (what) => this.logger.warn({ portal: origin, refused: what }, 'portal browser reached for another host: refused'));
      proxy.catch(() => this.proxies.delete(origin));
      this.proxies.set(origin, proxy);
    }
    return proxy;
  }
}

function passedOn(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));
}

/** `rawHeaders` without those of the hop: repeated ones (Set-Cookie) stay apart. */
function passedOnRaw(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const [name = '', value = ''] = [rawHeaders[index], rawHeaders[index + 1]];
    if (!HOP_HEADERS.has(name.toLowerCase())) kept.push(name, value);
  }
  return kept;
}

/**
 * A forward proxy on 127.0.0.1 that lets through requests to `hosts` only: plain http is
 * forwarded; https and websockets come as CONNECT tunnels, checked by host and port. The refused
 * are answered 403 and named (origin only) to `onRefused`.
 */
async function startGuardProxy(hosts: AllowedHosts, onRefused: (what: string) => void): Promise<GuardProxy> {
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((request, response) => {
    const target = request.url ?? '';
    if (!target.startsWith('http://') || !hosts.allows(target)) {
      onRefused(`${request.method} ${URL.canParse(target) ? new URL(target).origin : 'a request that is not a URL'}`);
      // No body: a page led there fails to load (as an https tunnel refused does), rather than show a page to read.
      response.writeHead(403).end();
      return;
    }
    const upstream = forward(target, { method: request.method, headers: passedOn(request.headers), agent }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, passedOnRaw(answer.rawHeaders));
      answer.pipe(response);
    });
    upstream.on('error', () => (response.headersSent ? response.destroy() : response.writeHead(502).end()));
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
  // Tunnels leave the HTTP server's bookkeeping: closed by hand with the proxy.
  const tunnels = new Set<Socket>();
  server.on('connect', (request, socket: Socket, head) => {
    const authority = request.url ?? '';
    socket.on('error', () => {});
    if (!hosts.allowsAuthority(authority)) {
      onRefused(`CONNECT ${authority}`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const colon = authority.lastIndexOf(':');
    let open = false;
    const upstream = connect(Number(authority.slice(colon + 1)), authority.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), () => {
      open = true;
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    tunnels.add(socket);
    upstream.on('error', () => (open ? socket.destroy() : socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')));
    socket.on('close', () => {
      tunnels.delete(socket);
      upstream.destroy();
    });
  });
  await new Promise<void>((listening, failed) => server.once('error', failed).listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      for (const tunnel of tunnels) tunnel.destroy();
      await new Promise<void>((closed) => server.close(() => closed()));
      agent.destroy();
    },
  };
}
