/**
 * The HTTP port robots use. The implementation (src/infra/http-client.ts) classifies socket
 * failures as RobotError CARRIER_TIMEOUT / CARRIER_NETWORK_ERROR; HTTP statuses are the robot's
 * to read (`throwForCommonStatus` covers the ones every carrier shares).
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the client's default timeout for this call. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Each Set-Cookie header apart (they cannot be joined safely). */
  setCookies?: string[];
  text: string;
  /** The body's bytes as received, for binary answers (a label PDF in a multipart body): `text` is their UTF-8 reading. */
  bytes?: Buffer;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
