import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RateLimit } from '../../robot-kit/define-robot.ts';
import type { ServerContext } from '../server-context.ts';
import { csrfField, csrfTokenFor, safeNext } from './form-fields.ts';
import { signInPage } from './signin-page.ts';

/** `/`, sign-in (rate-limited per address) and sign-out. */
export function registerSignInRoutes(server: FastifyInstance, context: ServerContext, loginLimit: RateLimit | undefined): void {
  const web = server.withTypeProvider<ZodTypeProvider>();
  const usersConfigured = (context.app.config.core.PARCELBOT_WEB_USERS?.length ?? 0) > 0;

  web.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => reply.redirect(request.actor ? '/agent' : '/signin', 303));

  web.get('/signin', {
    config: { access: 'public' },
    schema: { hide: true, querystring: z.strictObject({ next: z.string().max(2000).optional() }) },
    handler: async (request, reply) => reply.type('text/html; charset=utf-8').send(signInPage({ csrf: csrfTokenFor(request, reply), next: safeNext(request.query.next), usersConfigured })),
  });

  web.post('/signin', {
    config: { access: 'public', rateLimit: loginLimit ? { max: loginLimit.max, timeWindow: loginLimit.durationMs, keyGenerator: (request) => `signin:${request.ip}` } : false },
    schema: { hide: true, body: z.strictObject({ name: z.string().trim().toLowerCase().max(64), password: z.string().max(1024), next: z.string().max(2000).optional(), ...csrfField }) },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      const user = await context.sessions.signIn(request.body.name, request.body.password);
      if (!user) {
        request.log.warn({ user: request.body.name.slice(0, 64) }, 'sign-in refused');
        return reply.code(401).type('text/html; charset=utf-8').send(signInPage({ csrf: csrfTokenFor(request, reply), next: safeNext(request.body.next), failed: true, usersConfigured }));
      }
      context.sessions.issue(reply, user);
      request.log.info({ user: user.name, role: user.role }, 'signed in');
      return reply.redirect(safeNext(request.body.next), 303);
    },
  });

  web.post('/signout', {
    config: { access: 'public' },
    schema: { hide: true, body: z.strictObject(csrfField) },
    preHandler: server.csrfProtection,
    handler: async (request, reply) => {
      await context.sessions.end(request, reply);
      return reply.redirect('/signin', 303);
    },
  });
}
