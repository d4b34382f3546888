import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXCEPTION_SORTS } from '../../store/exception-queue.ts';
import type { Actor } from '../access.ts';
import { EXCEPTION_ACTIONS } from '../exception-actions.ts';
import { FOLLOW_UP_DECISIONS, decideFollowUp } from '../follow-up-decisions.ts';
import { HttpProblem } from '../problem.ts';
import { numericId } from '../routes/query-params.ts';
import type { ServerContext } from '../server-context.ts';
import { type ActionOutcome, OUTCOME_ID } from './action-outcomes.ts';
import { dashboardData } from './dashboard-data.ts';
import { dashboardPage } from './dashboard-page.ts';
import { exceptionPage } from './exception-page.ts';
import { blankAsMissing, csrfField, csrfTokenFor } from './form-fields.ts';
import { queuePage } from './queue-page.ts';

const HOUR_MS = 3_600_000;
/** Rows per list of the queue page; the pager reaches the rest. */
const QUEUE_PAGE = 200;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const queueQuery = z.strictObject({
  code: blankAsMissing(z.string().trim().max(200)),
  carrier: blankAsMissing(z.string().max(40)),
  minAgeHours: blankAsMissing(z.coerce.number().min(0).max(24 * 3650)),
  minValue: blankAsMissing(z.coerce.number().min(0)),
  sort: blankAsMissing(z.enum(EXCEPTION_SORTS)),
  offset: blankAsMissing(z.coerce.number().int().min(0).max(2 ** 31)),
  awaitingOffset: blankAsMissing(z.coerce.number().int().min(0).max(2 ** 31)),
  outcome: blankAsMissing(z.string().regex(OUTCOME_ID, 'expected the id the last action gave: go back to the queue')),
});

/** The manager's exception queue, one exception's evidence, follow-up decisions and the dashboard. */
export function registerManagerRoutes(server: FastifyInstance, context: ServerContext): void {
  const web = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const actorOf = (request: FastifyRequest): Actor => request.actor ?? { name: 'unknown', role: 'manager', via: 'web' };
  const htmlPage = (reply: FastifyReply, markup: string) => reply.type('text/html; charset=utf-8').send(markup);
  const backToQueue = async (request: FastifyRequest, reply: FastifyReply, outcome: ActionOutcome) =>
    reply.redirect(`/manager/queue?outcome=${await context.outcomes.save(actorOf(request).name, outcome)}`, 303);

  web.get('/manager/queue', { config: { access: 'web:manager' }, schema: { hide: true, querystring: queueQuery } }, async (request, reply) => {
    const { outcome, offset = 0, awaitingOffset = 0, ...filters } = request.query;
    const now = app.clock.now();
    const store = await app.store();
    const exceptions = await store.exceptionQueue.list({
      codes: filters.code?.split(',').map((code) => code.trim()).filter(Boolean),
      carrier: filters.carrier,
      openedBefore: filters.minAgeHours === undefined ? undefined : new Date(now.getTime() - filters.minAgeHours * HOUR_MS),
      minValue: filters.minValue,
      sort: filters.sort,
      limit: QUEUE_PAGE,
      offset,
    });
    const awaiting = await app.followUps.page({ state: 'awaiting_approval', limit: QUEUE_PAGE, offset: awaitingOffset });
    return htmlPage(
      reply,
      queuePage({
        actor: actorOf(request),
        csrf: csrfTokenFor(request, reply),
        now,
        filters: { ...filters, sort: filters.sort ?? 'oldest' },
        carriers: app.registry.trackers().map((definition) => definition.id),
        exceptions,
        awaiting,
        paging: { size: QUEUE_PAGE, offset, awaitingOffset },
        outcome: outcome === undefined ? undefined : await context.outcomes.read(actorOf(request).name, outcome),
      }),
    );
  });

  web.post('/manager/exceptions/bulk', {
    config: { access: 'web:manager' },
    schema: {
      hide: true,
      body: z.strictObject({
        ids: z.preprocess((value) => (Array.isArray(value) ? value : value === undefined ? [] : [value]), z.array(numericId).min(1, 'select at least one exception').max(500)),
        action: z.enum(EXCEPTION_ACTIONS),
        reason: blankAsMissing(z.string().trim().max(2000)),
        ...csrfField,
      }),
    },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      const { ids, action, reason } = request.body;
      const outcome: ActionOutcome = { action, done: 0, refused: [] };
      for (const id of new Set(ids)) {
        try {
          await context.exceptions.apply(id, action, actorOf(request).name, reason);
          outcome.done += 1;
        } catch (error) {
          if (!(error instanceof HttpProblem)) throw error;
          request.log.info({ exception: id, action, problem: error.type }, 'exception action refused');
          // The API's own detail: it names the field and the fix ("reason: say why...").
          outcome.refused.push({ id, detail: error.message });
        }
      }
      return backToQueue(request, reply, outcome);
    },
  });

  web.get('/manager/exceptions/:id', { config: { access: 'web:manager' }, schema: { hide: true, params: z.object({ id: numericId }) } }, async (request, reply) => {
    const store = await app.store();
    const exception = await store.exceptionQueue.get(request.params.id);
    if (!exception) throw new HttpProblem(404, 'not-found', `no exception ${request.params.id}`);
    const timeline = exception.shipmentId ? await store.tracking.events(exception.shipmentId) : [];
    return htmlPage(reply, exceptionPage({ actor: actorOf(request), csrf: csrfTokenFor(request, reply), exception, timeline }));
  });

  web.get('/manager/exceptions/:id/screenshot.png', { config: { access: 'web:manager' }, schema: { hide: true, params: z.object({ id: numericId }) } }, async (request, reply) => {
    const exception = await (await app.store()).exceptionQueue.get(request.params.id);
    const image = exception?.evidence?.screenshot ? Buffer.from(exception.evidence.screenshot, 'base64') : undefined;
    // Only a PNG is served as one: anything else kept as a "screenshot" is not sent to a browser.
    if (!image || !image.subarray(0, 8).equals(PNG_SIGNATURE)) throw new HttpProblem(404, 'not-found', `exception ${request.params.id} has no screenshot`);
    return reply.type('image/png').header('content-disposition', 'inline').send(image);
  });

  web.post('/manager/followups/:id/:action', {
    config: { access: 'web:manager' },
    schema: { hide: true, params: z.object({ id: z.string().min(1).max(200), action: z.enum(FOLLOW_UP_DECISIONS) }), body: z.strictObject({ reason: blankAsMissing(z.string().trim().max(2000)), ...csrfField }) },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      const { id, action } = request.params;
      await decideFollowUp(app.followUps, id, action, actorOf(request).name, request.body.reason);
      return backToQueue(request, reply, { action, done: 1, refused: [] });
    },
  });

  web.get('/dashboard', { config: { access: 'web:manager' }, schema: { hide: true } }, async (request, reply) =>
    htmlPage(reply, dashboardPage({ actor: actorOf(request), csrf: csrfTokenFor(request, reply), ...(await dashboardData(context)) })),
  );
}
