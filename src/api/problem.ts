import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** A field a request got wrong, by its path (`trackingNumber`, `shipments.3.carrier`, `query.wait`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem: what every API error answers with, as application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Request too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Thrown by handlers for an expected failure: the error handler answers it as a problem. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly type: string;
  readonly extensions: Record<string, unknown>;
  readonly errors?: FieldError[];

  constructor(status: number, type: string, detail: string, options: { errors?: FieldError[]; extensions?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.type = type;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  /** Bad input in one field: 400 naming it. */
  static field(field: string, message: string): HttpProblem {
    return new HttpProblem(400, 'invalid-request', `${field}: ${message}`, { errors: [{ field, message }] });
  }
}

export function problemOf(status: number, type: string, detail: string, errors?: FieldError[], extensions: Record<string, unknown> = {}): Problem {
  return { type: `/problems/${type}`, title: TITLES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}), ...extensions };
}

/** 20 MiB, 2 KiB, 900 bytes. */
function sizeOf(bytes: number): string {
  if (bytes >= 2 ** 20) return `${Number((bytes / 2 ** 20).toFixed(1))} MiB`;
  if (bytes >= 2 ** 10) return `${Number((bytes / 2 ** 10).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** Fastify's own errors, mapped to problems a client can act on; none echoes the request (a URL may be megabytes). */
const FASTIFY_CODES: Record<string, { status: number; type: string; detail: (request: FastifyRequest) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    type: 'body-too-large',
    detail: (request) => `the request body is over the ${sizeOf(request.routeOptions.bodyLimit)} limit (${request.routeOptions.bodyLimit} bytes): send less (split an import into several requests)`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, type: 'unsupported-media-type', detail: () => 'send the body as application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, type: 'invalid-request', detail: () => 'the body is empty: send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, type: 'invalid-json', detail: () => 'the body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, type: 'invalid-request', detail: () => 'the Content-Length does not match the body' },
  FST_ERR_BAD_URL: { status: 400, type: 'invalid-request', detail: () => 'the URL is not valid: percent-encode its path as UTF-8' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, type: 'uri-too-long', detail: () => 'a part of the URL path is over 100 characters: no id is that long' },
  FST_CSRF_MISSING_SECRET: { status: 403, type: 'csrf', detail: () => 'the form expired: reload the page and try again' },
  FST_CSRF_INVALID_TOKEN: { status: 403, type: 'csrf', detail: () => 'the form expired: reload the page and try again' },
};

/** Where a field was, as a client names it. */
const PARTS: Record<string, string> = { querystring: 'query', params: 'path', headers: 'header' };

/**
 * Validation issues with the field path as a client names it: `shipments.3.carrier`, or
 * `query.wait` outside the body. A field no schema knows (a typo: `carier`) is named itself.
 * One entry per field and message: a value can fail two checks with the same words.
 */
function fieldErrors(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  const where = context === 'body' ? '' : `${PARTS[context] ?? context}.`;
  const fieldOf = (path: string) => `${where}${path.split('/').filter(Boolean).join('.')}`.replace(/\.$/, '') || context;
  const errors = (error.validation ?? []).flatMap((issue) => {
    const unknown = issue.keyword === 'unrecognized_keys' ? (issue.params as { keys?: string[] }).keys : undefined;
    if (!unknown) return [{ field: fieldOf(issue.instancePath), message: issue.message ?? 'invalid' }];
    return unknown.map((key) => ({ field: fieldOf(`${issue.instancePath}/${key.slice(0, 40)}`), message: 'unknown field: check its name in /api/openapi.json' }));
  });
  return errors.filter((entry, index) => errors.findIndex((other) => other.field === entry.field && other.message === entry.message) === index);
}

/** Any error -> a problem. Unknown errors are logged with their stack and answered without it. */
export function toProblem(error: FastifyError | HttpProblem, request: FastifyRequest): Problem {
  if (error instanceof HttpProblem) return problemOf(error.status, error.type, error.message, error.errors, error.extensions);
  if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
    const errors = fieldErrors(error);
    return problemOf(400, 'invalid-request', errors.map((entry) => `${entry.field}: ${entry.message}`).join('; '), errors);
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return problemOf(known.status, known.type, known.detail(request));
  if (error.statusCode === 429) return problemOf(429, 'rate-limited', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return problemOf(error.statusCode, 'invalid-request', error.message);
  request.log.error({ err: error }, 'request failed');
  return problemOf(500, 'internal', 'the server failed to answer: the error is logged');
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}
