import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { parseRateLimit } from '../config.ts';
import type { App } from '../main.ts';
import { SignInRequired, installAccessControl, parseAccess } from './access.ts';
import { ApiKeyRing } from './api-keys.ts';
import { BackgroundSweeps } from './background-sweeps.ts';
import { ExceptionActions } from './exception-actions.ts';
import { LookupService } from './lookup-service.ts';
import { installJsonBodyParser } from './json-body.ts';
import { notPlainField } from './plain-text-fields.ts';
import { HttpProblem, type Problem, problemOf, sendProblem, toProblem } from './problem.ts';
import { registerQueueConsole } from './queue-console.ts';
import { registerDocumentRoutes } from './routes/document-routes.ts';
import { registerExceptionRoutes } from './routes/exception-routes.ts';
import { registerFollowUpRoutes } from './routes/follow-up-routes.ts';
import { registerLookupRoutes } from './routes/lookup-routes.ts';
import { registerOperationsRoutes } from './routes/operations-routes.ts';
import { registerShipmentRoutes } from './routes/shipment-routes.ts';
import { registerSweepRoutes } from './routes/sweep-routes.ts';
import type { ServerContext } from './server-context.ts';
import { Sessions } from './session.ts';
import { refuseUndeclaredFields } from './strict-inputs.ts';
import { ShipmentViews } from './shipment-views.ts';
import type { TrustProxy } from './web-settings.ts';
import { workQueues } from './work-queues.ts';
import { ActionOutcomes } from './web/action-outcomes.ts';
import { registerAgentRoutes } from './web/agent-routes.ts';
import { errorPage } from './web/error-page.ts';
import { csrfBinding } from './web/form-fields.ts';
import { registerManagerRoutes } from './web/manager-routes.ts';
import { registerSignInRoutes } from './web/signin-routes.ts';
import { registerStaticFiles } from './web/static-files.ts';

export interface ServerOptions {
  app: App;
}

const STRICT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/** Pages answer failures with an HTML page; everything else (the API, /health, /metrics) with problem+json. */
function wantsPage(request: FastifyRequest): boolean {
  const access = request.routeOptions.config.access;
  if (access) return parseAccess(access).via === 'web' || (access === 'public' && !request.url.startsWith('/api/') && request.url !== '/health');
  return !request.url.startsWith('/api/') && (request.headers.accept?.includes('text/html') ?? false);
}

function answerFailure(problem: Problem, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (wantsPage(request)) return reply.code(problem.status).type('text/html; charset=utf-8').send(errorPage(problem, request.actor));
  return sendProblem(reply, problem);
}

function refuse(request: FastifyRequest, reply: FastifyReply, refusal: HttpProblem | SignInRequired): FastifyReply {
  if (refusal instanceof SignInRequired) return reply.redirect(`/signin?next=${encodeURIComponent(refusal.next)}`, 303);
  return answerFailure(toProblem(refusal, request), request, reply);
}

/**
 * Fastify's reading of PARCELBOT_TRUST_PROXY. A hop count becomes "the first n addresses from
 * the socket inward are proxies", since Fastify's own number option trusts no hop at all.
 */
function trustProxyOption(setting: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

/**
 * The HTTP server of `parcelbot serve`: the JSON API (/api, OpenAPI at /api/openapi.json), the
 * web pages, /health, /metrics and the queue console, on one Fastify instance. It enqueues work;
 * workers do it.
 */
export async function buildServer({ app }: ServerOptions): Promise<FastifyInstance> {
  const core = app.config.core;
  const server = Fastify({
    loggerInstance: app.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // Logged by the onResponse hook below, without query strings (they may carry an e-mail).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: core.API_BODY_LIMIT,
    trustProxy: trustProxyOption(core.PARCELBOT_TRUST_PROXY),
    exposeHeadRoutes: false,
    return503OnClosing: true,
    // A URL the router cannot read (bad percent-encoding, a path part over 100 characters): a problem too.
    frameworkErrors: (error, request, reply) => answerFailure(toProblem(error, request), request, reply),
  });
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  // JSON (in UTF-8) for the API, forms for the pages: a text body is refused (415) rather than read as a string.
  installJsonBodyParser(server);
  server.removeContentTypeParser('text/plain');

  // Without a configured secret, sessions last as long as this process: say so.
  const secret = core.PARCELBOT_SESSION_SECRET ?? randomBytes(32).toString('base64url');
  if (!core.PARCELBOT_SESSION_SECRET) app.logger.warn('PARCELBOT_SESSION_SECRET is not set: web sessions end when this process stops, and several servers cannot share them');
  // The server's own connection: health checks and ended sessions (closed with the server).
  const redis = app.redis.connect();
  const sessions = new Sessions({ users: core.PARCELBOT_WEB_USERS ?? [], ttlMs: core.PARCELBOT_SESSION_HOURS * 3_600_000, clock: app.clock, redis, prefix: core.PARCELBOT_QUEUE_PREFIX });
  const context: ServerContext = {
    app,
    sessions,
    lookups: new LookupService({ registry: app.registry, queues: app.queues, jobSizes: app.jobSizes, store: app.store, clock: app.clock }),
    exceptions: new ExceptionActions({ store: app.store, queues: app.queues, registry: app.registry, clock: app.clock, followUps: app.followUps }),
    shipments: new ShipmentViews({ store: app.store, clock: app.clock }),
    sweeps: new BackgroundSweeps(app),
    outcomes: new ActionOutcomes({ redis, prefix: core.PARCELBOT_QUEUE_PREFIX }),
  };
  server.addHook('onClose', async () => {
    await context.sweeps.close();
    await redis.quit().catch(() => {});
  });

  await server.register(fastifyCookie, { secret });
  await server.register(fastifyFormbody);
  await server.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'pb_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/' },
    getUserInfo: csrfBinding,
    csrfOpts: { hmacKey: secret },
  });
  const apiLimit = parseRateLimit('API_RATE_LIMIT', core.API_RATE_LIMIT);
  await server.register(fastifyRateLimit, {
    global: apiLimit !== undefined,
    max: apiLimit?.max ?? 1,
    timeWindow: apiLimit?.durationMs ?? 1000,
    keyGenerator: (request) => request.actor?.name ?? request.ip,
    errorResponseBuilder: (_request, limit) => new HttpProblem(429, 'rate-limited', `too many requests: at most ${limit.max} per ${limit.after === '' ? 'period' : 'window'}; retry in ${limit.after}`),
  });
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'parcelbot API', version: '1', description: 'Agents look parcels up; managers judge exceptions and follow-ups; admins run sweeps. Errors are application/problem+json (RFC 9457).' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A key of PARCELBOT_API_KEYS (role:key).' } } },
      security: [{ apiKey: [] }],
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
  });

  const loginLimit = parseRateLimit('LOGIN_RATE_LIMIT', core.LOGIN_RATE_LIMIT);
  // A call refused for a wrong or missing key is a failed sign-in: counted per address like the
  // sign-in form's posts, so keys cannot be guessed at the pace the API allows a known key.
  const limitRefusal = loginLimit && server.rateLimit({ max: loginLimit.max, timeWindow: loginLimit.durationMs, keyGenerator: (request) => `refused:${request.ip}` });
  const accessTable = installAccessControl(server, { keys: new ApiKeyRing(core.PARCELBOT_API_KEYS ?? []), sessions, metricsToken: core.PARCELBOT_METRICS_TOKEN, limitRefusal, refuse });
  refuseUndeclaredFields(server);
  // The role each API route needs, in its OpenAPI description: read from the same declaration the server enforces.
  server.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access || !route.schema || !('tags' in route.schema)) return;
    const schema = route.schema as { description?: string };
    schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Role: ${parseAccess(access).role ?? access}.`;
  });

  server.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => answerFailure(toProblem(error, request), request, reply));
  server.addHook('preValidation', async (request) => {
    const field = notPlainField(request);
    if (field) throw HttpProblem.field(field.field, field.message);
  });
  server.setNotFoundHandler((request, reply) =>
    answerFailure(problemOf(404, 'not-found', `nothing at ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );
  server.addHook('onSend', async (request, reply) => {
    reply.header('content-security-policy', request.routeOptions.config.csp === 'console' ? CONSOLE_CSP : STRICT_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  server.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime), actor: request.actor?.name }, 'request');
  });

  registerLookupRoutes(server, context);
  registerShipmentRoutes(server, context);
  registerExceptionRoutes(server, context);
  registerFollowUpRoutes(server, context);
  registerSweepRoutes(server, context);
  registerDocumentRoutes(server, context);
  registerOperationsRoutes(server, context, redis);
  registerStaticFiles(server);
  registerSignInRoutes(server, context, loginLimit);
  registerAgentRoutes(server, context);
  registerManagerRoutes(server, context);
  await registerQueueConsole(server, workQueues(app));
  server.decorate('accessTable', accessTable);
  return server;
}
