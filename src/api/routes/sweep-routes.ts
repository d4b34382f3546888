import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SweepRecord } from '../../domain/sweep.ts';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';

/** A sweep as the API shows it: its queue event cursors are the sweep's own bookkeeping. */
const view = ({ eventCursors: _cursors, ...record }: SweepRecord) => record;

/** Sweeps: start one now (it runs in this process, in the background), and read the `sweeps` records. */
export function registerSweepRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();

  api.post('/api/sweeps', {
    config: { access: 'api:admin' },
    schema: {
      tags: ['sweeps'],
      summary: 'Start a sweep of every shipment due now',
      description: 'Answers 202 with the sweep as soon as it is recorded (state `running`), without waiting for it to end; follow it at `GET /api/sweeps/:id`. One sweep runs at a time: while another runs (scheduled, from the CLI or the API) the answer is 409 naming it.',
    },
    handler: async (request, reply) => {
      const record = await context.sweeps.start(request.actor?.name ?? 'unknown');
      return reply.code(202).header('location', `/api/sweeps/${record.id}`).send(view(record));
    },
  });

  api.get('/api/sweeps', {
    config: { access: 'api:admin' },
    schema: { tags: ['sweeps'], summary: 'The latest sweeps, newest first, with their counts', querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    handler: async (request) => ({ items: (await (await context.app.store()).sweeps.list(request.query.limit)).map(view) }),
  });

  api.get('/api/sweeps/:id', {
    config: { access: 'api:admin' },
    schema: {
      tags: ['sweeps'],
      summary: 'One sweep: running, done or interrupted, with its counts so far',
      description:
        "`leftWaiting`: per carrier, the parcels whose jobs the sweep did not wait for because their queue was held by a rate limit (a daily quota spent) longer than SWEEP_MAX_RATE_LIMIT_WAIT, and `until`, when the hold lifts: they are checked then, outside the sweep's counts.",
      params: z.object({ id: z.uuid({ error: 'expected a sweep id (a UUID)' }) }),
    },
    handler: async (request) => {
      const record = await (await context.app.store()).sweeps.get(request.params.id);
      if (!record) throw new HttpProblem(404, 'not-found', `no sweep ${request.params.id}`);
      return view(record);
    },
  });
}
