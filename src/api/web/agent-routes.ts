import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatLocalDateTime } from '../../domain/local-time.ts';
import type { Actor } from '../access.ts';
import type { LookupRequest, LookupView } from '../lookup-service.ts';
import { HttpProblem } from '../problem.ts';
import { shipmentId } from '../routes/query-params.ts';
import type { ServerContext } from '../server-context.ts';
import { searchPage, shipmentPage } from './agent-pages.ts';
import { csrfField, csrfTokenFor } from './form-fields.ts';

/** How long the agent's page waits for a carrier's answer before saying it is still coming. */
const PAGE_WAIT_SECONDS = 20;

const htmlPage = (reply: FastifyReply, markup: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(markup);

function why(lookup: LookupView | undefined): string {
  if (!lookup) return 'the look-up returned nothing';
  if (lookup.heldUntil) return `${lookup.carrier} asks to wait (rate limit) until ${formatLocalDateTime(lookup.heldUntil)}: the look-up stays queued and runs then; search again after that`;
  if (lookup.state === 'queued' || lookup.state === 'running') return `the carrier has not answered within ${PAGE_WAIT_SECONDS} s: the look-up goes on; search again in a moment`;
  if (lookup.outcome === 'not_found') return `${lookup.trackingNumber} is unknown to ${lookup.carrier}${lookup.message ? `: ${lookup.message}` : ''}`;
  return `${lookup.carrier} could not answer for ${lookup.trackingNumber}: ${lookup.message ?? lookup.outcome ?? 'failed'}`;
}

/** The agent's page: one search box, a case, and a refresh at the carrier. */
export function registerAgentRoutes(server: FastifyInstance, context: ServerContext): void {
  const web = server.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: FastifyRequest): Actor => request.actor ?? { name: 'unknown', role: 'agent', via: 'web' };

  /** Looks the parcel up (`refresh`: at the carrier even when the store's answer is fresh), then shows the case (the worker stored it) or says why not. */
  async function lookUpAndShow(request: FastifyRequest, reply: FastifyReply, target: LookupRequest, render: (message: string) => string, options: { refresh?: boolean } = {}): Promise<FastifyReply> {
    let lookup: LookupView | undefined;
    try {
      [lookup] = await context.lookups.start(target, actorOf(request).name, PAGE_WAIT_SECONDS, options);
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      // Bad input here is a search that matched nothing and is no tracking number either.
      const message = error.errors?.[0] ? `nothing matches this search, and as a tracking number it ${error.errors[0].message.replace(/^expected/, 'should have')}` : error.message;
      return htmlPage(reply, render(message), error.status);
    }
    if (lookup?.outcome === 'found') {
      const shipment = await (await context.app.store()).shipments.find(lookup.carrier, lookup.trackingNumber);
      if (shipment) return reply.redirect(`/agent/shipments/${shipment.id}`, 303);
    }
    return htmlPage(reply, render(why(lookup)));
  }

  web.get('/agent', { config: { access: 'web:agent' }, schema: { hide: true } }, async (request, reply) =>
    htmlPage(reply, searchPage({ actor: actorOf(request), csrf: csrfTokenFor(request, reply) })),
  );

  // A POST: an e-mail address searched for never lands in a URL, a history or an access log.
  web.post('/agent/search', {
    config: { access: 'web:agent' },
    schema: { hide: true, body: z.strictObject({ q: z.string().trim().min(1, 'type a tracking number, an order reference or an e-mail').max(254), ...csrfField }) },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      const { q } = request.body;
      const actor = actorOf(request);
      const render = (message: string) => searchPage({ actor, csrf: csrfTokenFor(request, reply), query: q, message });
      const { items } = await context.shipments.list({ search: q, limit: 20 });
      if (items.length === 1) return reply.redirect(`/agent/shipments/${items[0]?.id}`, 303);
      if (items.length > 1) return htmlPage(reply, searchPage({ actor, csrf: csrfTokenFor(request, reply), query: q, results: items }));
      if (q.includes('@')) return htmlPage(reply, render('no shipment of this customer e-mail'));
      return lookUpAndShow(request, reply, { trackingNumber: q }, render);
    },
  });

  web.get('/agent/shipments/:id', { config: { access: 'web:agent' }, schema: { hide: true, params: z.object({ id: shipmentId }) } }, async (request, reply) => {
    const detail = await context.shipments.detail(request.params.id);
    if (!detail) throw new HttpProblem(404, 'not-found', `no shipment ${request.params.id}`);
    return htmlPage(reply, shipmentPage({ actor: actorOf(request), csrf: csrfTokenFor(request, reply), detail }));
  });

  web.post('/agent/shipments/:id/refresh', {
    config: { access: 'web:agent' },
    schema: { hide: true, params: z.object({ id: shipmentId }), body: z.strictObject(csrfField) },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      const detail = await context.shipments.detail(request.params.id);
      if (!detail) throw new HttpProblem(404, 'not-found', `no shipment ${request.params.id}`);
      const { trackingNumber, carrier } = detail.shipment;
      // The button says "read it again now": the carrier is asked whatever the store holds.
      const render = (message: string) => shipmentPage({ actor: actorOf(request), csrf: csrfTokenFor(request, reply), detail, message });
      return lookUpAndShow(request, reply, { trackingNumber, carrier }, render, { refresh: true });
    },
  });
}
