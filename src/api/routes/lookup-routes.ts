import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LOOKUP_WAIT_MAX_SECONDS } from '../lookup-service.ts';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';

const lookupBody = z
  .strictObject({
    trackingNumber: z.string().max(100).optional().describe('The tracking number; spaces and dashes are ignored.'),
    carrier: z.string().min(1).max(40).optional().describe('A carrier robot id; detected from the number when absent.'),
    orderRef: z.string().trim().min(1).max(100).optional().describe("An order reference known to the store: each of the order's parcels is looked up."),
    refresh: z.boolean().default(false).describe('Ask the carrier even when the store read the parcel less than FRESH_FOR ago.'),
  })
  .refine((body) => (body.trackingNumber === undefined) !== (body.orderRef === undefined), { path: ['trackingNumber'], message: 'give either trackingNumber or orderRef' });

/** POST /api/lookups, GET /api/lookups/:id: an agent's "find my parcel". */
export function registerLookupRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  api.post('/api/lookups', {
    config: { access: 'api:agent' },
    schema: {
      tags: ['lookups'],
      summary: 'Look a parcel up at its carrier (by tracking number or order reference)',
      description: `Enqueues one look-up per parcel on its carrier's queue (agents first). With \`wait\` (0 to ${LOOKUP_WAIT_MAX_SECONDS} s) the answer comes when ready: 200 when every look-up has finished, else 202 with their ids to poll. 503 when no worker serves the carrier's queue.`,
      querystring: z.strictObject({ wait: z.coerce.number().int().min(0).max(LOOKUP_WAIT_MAX_SECONDS).default(0).describe('Seconds to wait for the answer.') }),
      body: lookupBody,
    },
    handler: async (request, reply) => {
      const body = request.body;
      const target = body.orderRef !== undefined ? { orderRef: body.orderRef } : { trackingNumber: body.trackingNumber ?? '', carrier: body.carrier };
      const lookups = await context.lookups.start(target, request.actor?.name ?? 'unknown', request.query.wait, { refresh: body.refresh });
      const pending = lookups.some((lookup) => lookup.state === 'queued' || lookup.state === 'running');
      if (pending && lookups.length === 1) reply.header('location', `/api/lookups/${lookups[0]?.id}`);
      return reply.code(pending ? 202 : 200).send({ lookups });
    },
  });

  api.get('/api/lookups/:id', {
    config: { access: 'api:agent' },
    schema: { tags: ['lookups'], summary: 'A look-up: queued, running, done (with the answer) or failed', params: z.object({ id: z.string().max(100) }) },
    handler: async (request) => {
      const lookup = await context.lookups.get(request.params.id);
      if (!lookup) throw new HttpProblem(404, 'not-found', `no look-up ${request.params.id}`);
      return lookup;
    },
  });
}
