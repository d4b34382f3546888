import { type Clock, type HttpClient, type HttpRequest, type HttpResponse, RobotError, httpEvidence, joinUrl, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import { errorBody } from './payload.ts';

export interface MiraklSettings {
  /** `https://<instance>.mirakl.net`, or a simulator's, possibly with a path prefix. */
  apiUrl: string;
  apiKey: string;
  /** `shop_id`, when the key's user has several shops. */
  shopId?: number;
  timeoutMs: number;
}

export interface MiraklClient {
  /** OR11 `GET /api/orders` with these parameters: the body of a 200 answer. */
  listOrders(params: Record<string, string>): Promise<string>;
  /** OR28 `PUT /api/orders/refund`: the body of a 200 answer. */
  refund(body: unknown): Promise<string>;
}

/**
 * The Seller API over HTTP (carrier-apis.md 8.1-8.5). I/O only: the shop key goes raw in
 * `Authorization` (no `Bearer`); answers other than 200 become RobotErrors here, their bodies
 * cleaned of personal data before they are kept as evidence.
 */
export function createMiraklClient(http: HttpClient, clock: Clock, settings: MiraklSettings): MiraklClient {
  async function send(method: 'GET' | 'PUT', path: string, params: Record<string, string>, body?: unknown): Promise<string> {
    const url = new URL(joinUrl(settings.apiUrl, path));
    url.search = new URLSearchParams({ ...params, ...(settings.shopId === undefined ? {} : { shop_id: String(settings.shopId) }) }).toString();
    const request: HttpRequest = {
      method,
      url: url.href,
      headers: { Authorization: settings.apiKey, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: settings.timeoutMs,
    };
    const response = await http.request(request);
    if (response.status === 200) return response.text;
    throw failure(request, response, clock.now().getTime());
  }
  return {
    listOrders: (params) => send('GET', '/api/orders', params),
    refund: (body) => send('PUT', '/api/orders/refund', {}, body),
  };
}

function failure(request: HttpRequest, response: HttpResponse, nowMs: number): RobotError {
  const evidence = httpEvidence(request, response);
  const operation = request.method === 'GET' ? 'OR11' : 'OR28';
  if (response.status === 401 || response.status === 403) {
    return new RobotError('CARRIER_AUTH_REFUSED', `Mirakl refused the shop API key on ${operation} (HTTP ${response.status}): check MIRAKL_API_KEY (and MIRAKL_SHOP_ID)`, { evidence });
  }
  try {
    throwForCommonStatus('Mirakl', request, response, nowMs);
  } catch (error) {
    return error as RobotError;
  }
  const said = errorBody.safeParse(safeJson(response.text));
  const message = said.success ? `: ${said.data.message.slice(0, 200)}` : '';
  return new RobotError('CARRIER_BAD_REQUEST', `Mirakl refused ${operation} (HTTP ${response.status})${message}`, { evidence });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
