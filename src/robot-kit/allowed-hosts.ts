import type { HttpClient } from './http-client.ts';
import { RobotError } from './robot-error.ts';

/**
 * The origins (scheme, host and port) a robot may reach: those of the URLs it is configured with,
 * its API or its portal. A request anywhere else (a redirect, a link read from a payload, a
 * tracker a portal page loads) is refused before it is sent, so a robot never hands its keys,
 * cookies or the customer data of its requests to a host nobody configured.
 */
export class AllowedHosts {
  private readonly origins: ReadonlySet<string>;

  constructor(urls: Iterable<string>) {
    this.origins = new Set([...urls].map((url) => new URL(url).origin));
  }

  /** Every http(s) URL among a robot's settings (`LAPOSTE_API_URL`, `RELAY_PORTAL_URL`...). */
  static ofSettings(settings: unknown): AllowedHosts {
    const values = settings !== null && typeof settings === 'object' ? Object.values(settings) : [];
    return new AllowedHosts(values.filter((value): value is string => typeof value === 'string' && /^https?:\/\//i.test(value)));
  }

  allows(url: string): boolean {
    return URL.canParse(url) && this.origins.has(new URL(url).origin);
  }

  /** Whether a tunnel to `host:port` (a proxy's CONNECT, for https and for websockets) reaches an allowed origin. */
  allowsAuthority(authority: string): boolean {
    return this.allows(`https://${authority}`) || this.allows(`http://${authority}`);
  }

  /** HOST_NOT_ALLOWED, final, for a request to `url` when it is not an allowed origin. The message names origins only. */
  check(method: string, url: string): void {
    if (this.allows(url)) return;
    const where = URL.canParse(url) ? new URL(url).origin : 'an address that is not a URL';
    throw new RobotError('HOST_NOT_ALLOWED', `${method} to ${where} refused: not a host this robot is configured for (${[...this.origins].join(', ') || 'none'})`, {
      evidence: { request: { method, url: url.split('?')[0] ?? url } },
    });
  }

  /** `http` that sends only to allowed origins; any other request fails with HOST_NOT_ALLOWED unsent. */
  guard(http: HttpClient): HttpClient {
    return {
      request: async (request) => {
        this.check(request.method, request.url);
        return http.request(request);
      },
    };
  }
}
