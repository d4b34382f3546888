import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FOLLOW_UP_KINDS, FOLLOW_UP_STATES } from '../../domain/follow-up.ts';
import { FOLLOW_UP_DECISIONS, decideFollowUp } from '../follow-up-decisions.ts';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';
import { shipmentId } from './query-params.ts';

const followUpId = z.string().min(1).max(200);

/** Follow-ups (list, one with its audit trail, approve, reject), through the follow-up runtime (app.followUps). */
export function registerFollowUpRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  const { followUps } = context.app;

  api.get('/api/followups', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['follow-ups'],
      summary: 'Follow-ups (reshipments, claims, return labels, e-mails, refunds, manager cases), filtered, soonest due first; `total` counts every match, `offset` gives the next page',
      querystring: z.strictObject({
        state: z.enum(FOLLOW_UP_STATES).optional(),
        kind: z.enum(FOLLOW_UP_KINDS).optional(),
        shipmentId: shipmentId.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    },
    handler: async (request) => followUps.page(request.query),
  });

  api.get('/api/followups/:id', {
    config: { access: 'api:manager' },
    schema: { tags: ['follow-ups'], summary: 'One follow-up with its audit trail (who proposed, approved, rejected or ran it) and its external effects', params: z.object({ id: followUpId }) },
    handler: async (request) => {
      const record = await followUps.get(request.params.id);
      if (!record) throw new HttpProblem(404, 'not-found', `no follow-up ${request.params.id}`);
      return record;
    },
  });

  api.post('/api/followups/:id/:action', {
    config: { access: 'api:manager' },
    schema: {
      tags: ['follow-ups'],
      summary: 'Approve a follow-up awaiting approval (it is queued to run when due), or reject one that has not started (it is cancelled); 409 in any other state',
      params: z.object({ id: followUpId, action: z.enum(FOLLOW_UP_DECISIONS) }),
      body: z.strictObject({ reason: z.string().trim().max(2000).optional().describe('Why (required to reject): kept in the audit trail.') }).nullish(),
    },
    handler: async (request) => decideFollowUp(followUps, request.params.id, request.params.action, request.actor?.name ?? 'unknown', request.body?.reason),
  });
}
