import { Agent, errors, request } from 'undici';
import type { HttpClient, HttpRequest, HttpResponse } from '../robot-kit/http-client.ts';
import { RobotError } from '../robot-kit/robot-error.ts';
import { httpEvidence } from '../robot-kit/http-status.ts';

// Like undici's body.text(): a byte-order mark is dropped, invalid bytes become U+FFFD.
const UTF8 = new TextDecoder();
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * undici with keep-alive connections (the fastest client measured here). Socket failures become
 * RobotErrors the job runtime knows how to retry; HTTP statuses are returned as they are.
 */
export function createHttpClient({ defaultTimeoutMs = 10_000 } = {}): HttpClient & { close(): Promise<void> } {
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const timeout = req.timeoutMs ?? defaultTimeoutMs;
      try {
        const response = await request(req.url, {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        const bytes = Buffer.from(await response.body.arrayBuffer());
        const headers = Object.fromEntries(
          Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value ?? '')]),
        );
        const setCookie = response.headers['set-cookie'];
        const setCookies = setCookie === undefined ? undefined : Array.isArray(setCookie) ? setCookie : [setCookie];
        return { status: response.statusCode, headers, setCookies, text: UTF8.decode(bytes), bytes };
      } catch (error) {
        throw classifySocketError(error, req, timeout);
      }
    },
    close: () => dispatcher.close(),
  };
}

function classifySocketError(error: unknown, req: HttpRequest, timeoutMs: number): RobotError {
  const host = new URL(req.url).host;
  const evidence = httpEvidence(req);
  const code = error instanceof errors.UndiciError ? error.code : (error as NodeJS.ErrnoException)?.code;
  if (code && TIMEOUT_CODES.has(code)) {
    return new RobotError('CARRIER_TIMEOUT', `${host} did not answer within ${timeoutMs} ms`, { evidence, cause: error });
  }
  return new RobotError('CARRIER_NETWORK_ERROR', `cannot reach ${host} (${code ?? 'connection failed'})`, { evidence, cause: error });
}
