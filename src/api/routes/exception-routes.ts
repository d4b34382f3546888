import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXCEPTION_SORTS } from '../../store/exception-queue.ts';
import { EXCEPTION_ACTIONS } from '../exception-actions.ts';
import { HttpProblem, type Problem, toProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';
import { numericId } from './query-params.ts';

const HOUR_MS = 3_600_000;
const amount = z.coerce.number({ error: 'expected an amount' }).min(0, { error: 'expected an amount of 0 or more' });
const hours = z.coerce.number({ error: 'expected a number of hours' }).min(0, { error: 'expected 0 hours or more' }).max(24 * 3650);

const listQuery = z.strictObject({
  state: z.enum(['open', 'closed', 'all']).default('open'),
  code: z
    .string()
    .max(500)
    .transform((value) => value.split(',').map((code) => code.trim()).filter(Boolean))
    .optional()
    .describe('Error codes (the reason), comma-separated: CARRIER_UNAVAILABLE,PORTAL_LAYOUT_CHANGED'),
  carrier: z.string().max(40).optional(),
  minAgeHours: hours.optional(),
  maxAgeHours: hours.optional(),
  minValue: amount.optional().describe("The shipment's declared value, at least."),
  maxValue: amount.optional(),
  sort: z.enum(EXCEPTION_SORTS).default('oldest'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const note = z.string().trim().max(2000).optional().describe('Why (required to reject): kept with the exception and the follow-up.');

/** The exception queue: managers list, judge and close exceptions, one by one or in bulk. */
export function registerExceptionRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const { clock } = context.app;

  api.get('/api/exceptions', {
    config: { access: 'api:manager' },
    schema: { tags: ['exceptions'], summary: 'The exception queue, filtered and sorted (by age or by declared value)', querystring: listQuery },
    handler: async (request) => {
      const { minAgeHours, maxAgeHours, code, ...filter } = request.query;
      const now = clock.now().getTime();
      return (await context.app.store()).exceptionQueue.list({
        ...filter,
        codes: code,
        openedBefore: minAgeHours === undefined ? undefined : new Date(now - minAgeHours * HOUR_MS),
        openedAfter: maxAgeHours === undefined ? undefined : new Date(now - maxAgeHours * HOUR_MS),
      });
    },
  });

  api.get('/api/exceptions/:id', {
    config: { access: 'api:manager' },
    schema: { tags: ['exceptions'], summary: 'One exception with its evidence (request, status, payload, failed step, screenshot, page HTML)', params: z.object({ id: numericId }) },
    handler: async (request) => {
      const exception = await (await context.app.store()).exceptionQueue.get(request.params.id);
      if (!exception) throw new HttpProblem(404, 'not-found', `no exception ${request.params.id}`);
      return exception;
    },
  });

  api.post('/api/exceptions/:id/:action', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['exceptions'],
      summary: 'Close an exception: resolve, retry (track again), approve or reject (its follow-up)',
      params: z.object({ id: numericId, action: z.enum(EXCEPTION_ACTIONS) }),
      body: z.strictObject({ reason: note }).nullish(),
    },
    handler: async (request) => context.exceptions.apply(request.params.id, request.params.action, request.actor?.name ?? 'unknown', request.body?.reason),
  });

  api.post('/api/exceptions/bulk', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['exceptions'],
      summary: 'The same action on several exceptions; each succeeds or fails on its own',
      body: z.strictObject({
        ids: z.array(numericId).min(1).max(500).refine((ids) => new Set(ids).size === ids.length, 'each id once'),
        action: z.enum(EXCEPTION_ACTIONS),
        reason: note,
      }),
    },
    handler: async (request) => {
      const { ids, action, reason } = request.body;
      const results: ({ id: number; ok: true } | { id: number; ok: false; problem: Problem })[] = [];
      // One after the other: a bulk retry of 500 never floods the queues or the store at once.
      for (const id of ids) {
        try {
          await context.exceptions.apply(id, action, request.actor?.name ?? 'unknown', reason);
          results.push({ id, ok: true });
        } catch (error) {
          if (!(error instanceof HttpProblem)) throw error;
          results.push({ id, ok: false, problem: toProblem(error, request) });
        }
      }
      return { action, done: results.filter((result) => result.ok).length, failed: results.filter((result) => !result.ok).length, results };
    },
  });
}
