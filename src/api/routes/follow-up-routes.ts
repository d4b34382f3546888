import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FOLLOW_UP_KINDS, FOLLOW_UP_STATES } from '../../domain/follow-up.ts';
import { throwUnlessDecided } from '../exception-actions.ts';
import type { FollowUpsPort, SweepsPort } from '../ports.ts';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';
import { numericId } from './query-params.ts';

function wired<T>(port: T | undefined, what: string): T {
  if (!port) throw new HttpProblem(501, `${what}-unavailable`, `${what} are not available in this installation`);
  return port;
}

/** Follow-ups (list, approve, reject) and sweeps (start, list), through their services' ports. */
export function registerFollowUpAndSweepRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const followUps = (): FollowUpsPort => wired(context.ports.followUps, 'follow-ups');
  const sweeps = (): SweepsPort => wired(context.ports.sweeps, 'sweeps');

  api.get('/api/followups', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['follow-ups'],
      summary: 'Follow-ups (reshipments, claims, return labels, e-mails, refunds, manager cases), filtered',
      querystring: z.object({
        state: z.enum(FOLLOW_UP_STATES).optional(),
        kind: z.enum(FOLLOW_UP_KINDS).optional(),
        shipmentId: numericId.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    handler: async (request) => ({ items: await followUps().list(request.query) }),
  });

  api.post('/api/followups/:id/:action', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['follow-ups'],
      summary: 'Approve or reject a follow-up awaiting approval (409 in any other state)',
      params: z.object({ id: z.string().min(1).max(200), action: z.enum(['approve', 'reject']) }),
      body: z.object({ reason: z.string().trim().max(2000).optional().describe('Why (required to reject).') }).nullish(),
    },
    handler: async (request) => {
      const { id, action } = request.params;
      const actor = request.actor?.name ?? 'unknown';
      const reason = request.body?.reason;
      if (action === 'reject' && !reason) throw HttpProblem.field('reason', 'say why the follow-up is rejected');
      const decision = action === 'approve' ? await followUps().approve(id, actor) : await followUps().reject(id, actor, reason ?? '');
      throwUnlessDecided(decision, id);
      return decision.ok ? decision.followUp : undefined;
    },
  });

  api.post('/api/sweeps', {
    config: { access: 'api:admin' },
    schema: { tags: ['sweeps'], summary: 'Start a sweep of every active shipment now (the one running, if any, is returned)' },
    handler: async (request, reply) => reply.code(202).send(await sweeps().start(`api:${request.actor?.name ?? 'unknown'}`)),
  });

  api.get('/api/sweeps', {
    config: { access: 'api:admin' },
    schema: { tags: ['sweeps'], summary: 'The latest sweeps, newest first', querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }) },
    handler: async (request) => ({ items: await sweeps().list(request.query.limit) }),
  });
}
