import { type HttpClient, type HttpRequest, RobotError, throwForCommonStatus } from '../../src/robot-kit/index.ts';
import type { LabelExchange } from './parse.ts';

export interface ColissimoEndpoint {
  /** `https://ws.colissimo.fr`, or a simulator's base URL, possibly with a path prefix. */
  labelUrl: string;
  timeoutMs: number;
}

const GENERATE_LABEL_PATH = '/sls-ws/SlsServiceWSRest/2.0/generateLabel';

/**
 * One `generateLabel` call. I/O only: shared statuses (5xx, 429, timeouts) are thrown here; the
 * answer's bytes go to `parseLabelAnswer`. The body carries the contract's password: it is never
 * kept as evidence.
 */
export async function postGenerateLabel(http: HttpClient, endpoint: ColissimoEndpoint, body: Record<string, unknown>, nowMs: number): Promise<LabelExchange> {
  const url = new URL(endpoint.labelUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${GENERATE_LABEL_PATH}`;
  const request: HttpRequest = {
    method: 'POST',
    url: url.href,
    headers: { 'content-type': 'application/json;charset=UTF-8', accept: 'multipart/mixed, application/json' },
    body: JSON.stringify(body),
    timeoutMs: endpoint.timeoutMs,
  };
  const response = await http.request(request);
  throwForCommonStatus('Colissimo', request, response, nowMs);
  if (response.bytes === undefined) throw new RobotError('UNEXPECTED_ERROR', 'the HTTP client gave no body bytes: a Colissimo label is binary');
  return { request: { method: request.method, url: url.href }, status: response.status, contentType: response.headers['content-type'] ?? '', bytes: response.bytes };
}
