import { z } from 'zod';
import type { Clock } from '../infra/clock.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../robot-kit/http-client.ts';
import { httpEvidence, throwForCommonStatus } from '../robot-kit/http-status.ts';
import { RobotError } from '../robot-kit/robot-error.ts';

/** OMS_URL, OMS_API_KEY, OMS_TIMEOUT_MS. */
export interface OmsSettings {
  url?: string;
  apiKey?: string;
  timeoutMs: number;
}

/** A replacement order, as asked (README, "The order system contract"). No customer data: the OMS has it. */
export interface ReshipmentOrder {
  originalOrderRef: string;
  originalTrackingNumber: string;
  carrier: string;
  reason: string;
  idempotencyKey: string;
}

export interface OmsRefundOrder {
  orderRef: string;
  amount: number;
  currency: string;
  reason: string;
  idempotencyKey: string;
}

const reshipmentSchema = z.object({
  orderRef: z.string().min(1),
  status: z.string().min(1),
  trackingNumber: z.string().min(1).nullish(),
  carrier: z.string().min(1).nullish(),
});

const refundSchema = z.object({
  refundRef: z.string().min(1),
  orderRef: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  status: z.string().min(1),
});

/** A replacement order as the OMS answers it; the parcel's number and carrier once it shipped. */
export interface OmsReshipment {
  orderRef: string;
  status: string;
  trackingNumber?: string;
  carrier?: string;
}

export type OmsRefund = z.infer<typeof refundSchema>;

const NAME = 'the OMS';

/**
 * The merchant's order system over its small JSON contract: reshipments and refunds created
 * with an idempotency key (header and body), looked up by that key after a crash, and a
 * reshipment read again until its parcel is known. I/O only; faults are RobotErrors with the
 * codes every robot uses (timeouts, 5xx, 429 with Retry-After, 4xx final, malformed bodies).
 */
export class OmsClient {
  constructor(
    private readonly settings: OmsSettings,
    private readonly http: HttpClient,
    private readonly clock: Clock,
  ) {}

  async createReshipment(order: ReshipmentOrder): Promise<OmsReshipment> {
    return toReshipment(await this.send('POST', '/reshipments', reshipmentSchema, { body: order, idempotencyKey: order.idempotencyKey }));
  }

  /** Undefined when the OMS has no such order. */
  async reshipment(orderRef: string): Promise<OmsReshipment | undefined> {
    const found = await this.send('GET', `/reshipments/${encodeURIComponent(orderRef)}`, reshipmentSchema, { absentOn404: true });
    return found && toReshipment(found);
  }

  /** The reshipment made with this key, if any: what a crashed attempt may have created. */
  async findReshipment(idempotencyKey: string): Promise<OmsReshipment | undefined> {
    const { reshipments } = await this.send('GET', `/reshipments?idempotencyKey=${encodeURIComponent(idempotencyKey)}`, z.object({ reshipments: z.array(reshipmentSchema) }));
    const [found] = reshipments;
    return found && toReshipment(found);
  }

  async createRefund(order: OmsRefundOrder): Promise<OmsRefund> {
    return this.send('POST', '/refunds', refundSchema, { body: order, idempotencyKey: order.idempotencyKey });
  }

  async findRefund(idempotencyKey: string): Promise<OmsRefund | undefined> {
    const { refunds } = await this.send('GET', `/refunds?idempotencyKey=${encodeURIComponent(idempotencyKey)}`, z.object({ refunds: z.array(refundSchema) }));
    return refunds[0];
  }

  private async send<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, options: { body?: unknown; idempotencyKey?: string; absentOn404: true }): Promise<T | undefined>;
  private async send<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, options?: { body?: unknown; idempotencyKey?: string }): Promise<T>;
  private async send<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, options: { body?: unknown; idempotencyKey?: string; absentOn404?: boolean } = {}): Promise<T | undefined> {
    const { url, apiKey, timeoutMs } = this.settings;
    if (!url) throw new RobotError('ROBOT_NOT_CONFIGURED', "OMS_URL is not set: set it to the order system's address to reship and refund own-site orders");
    const request: HttpRequest = {
      method,
      url: `${url.replace(/\/+$/, '')}${path}`,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      timeoutMs,
    };
    const response = await this.http.request(request);
    throwForCommonStatus(NAME, request, response, this.clock.now().getTime());
    if (response.status === 404 && options.absentOn404) return undefined;
    if (response.status >= 400) throw refused(request, response);
    return parseAnswer(request, response, schema);
  }
}

/** A 4xx the OMS explains in `{"error": "..."}`: the request itself is wrong, so it is final. */
function refused(request: HttpRequest, response: HttpResponse): RobotError {
  let explanation = '';
  try {
    const parsed = z.object({ error: z.string() }).safeParse(JSON.parse(response.text));
    if (parsed.success) explanation = `: ${parsed.data.error.slice(0, 200)}`;
  } catch {
    // No JSON explanation: the status says enough.
  }
  return new RobotError('CARRIER_BAD_REQUEST', `${NAME} refused ${request.method} ${new URL(request.url).pathname} (HTTP ${response.status})${explanation}`, {
    evidence: httpEvidence(request, response),
  });
}

function parseAnswer<T>(request: HttpRequest, response: HttpResponse, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    throw new RobotError('CARRIER_BAD_PAYLOAD', `${NAME} answered ${request.method} ${new URL(request.url).pathname} with a body that is not JSON`, { evidence: httpEvidence(request, response) });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RobotError('CARRIER_BAD_PAYLOAD', `${NAME} answered ${request.method} ${new URL(request.url).pathname} in an unexpected format (${issue?.path.join('.') || 'body'}: ${issue?.message})`, {
      evidence: httpEvidence(request, response),
    });
  }
  return parsed.data;
}

function toReshipment(answer: z.infer<typeof reshipmentSchema>): OmsReshipment {
  return {
    orderRef: answer.orderRef,
    status: answer.status,
    ...(answer.trackingNumber ? { trackingNumber: answer.trackingNumber } : {}),
    ...(answer.carrier ? { carrier: answer.carrier } : {}),
  };
}
