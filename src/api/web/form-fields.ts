import type {} from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** An HTML form sends an empty input as "": that means "not given". */
export function blankAsMissing<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/** The CSRF token of every form; checked by the route's preHandler, listed so validation lets it through. */
export const csrfField = { _csrf: z.string().max(200).optional() };

/**
 * Where to go after signing in: a path of this site only, never another host. It becomes a
 * Location header, which takes printable ASCII only: other characters (`/agent?q=€`) are
 * percent-encoded as UTF-8, like a browser does, and a `%` already there is kept. (Control
 * characters and half surrogate pairs, which encodeURI would throw on, never get here:
 * notPlainField refuses them with a 400.)
 */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/(?![/\\])[^\s]*$/.test(next) || next.startsWith('/signin')) return '/agent';
  return next.replace(/[^\x21-\x7e]+/g, encodeURI);
}

/** What a CSRF token is bound to: the signed-in user, or (on the sign-in page) nobody, which no user name can be. */
export function csrfBinding(request: FastifyRequest): string {
  return request.actor?.name ?? '(nobody)';
}

/** A CSRF token for the page's forms, bound like the check expects (`csrfBinding`). */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: csrfBinding(request) });
}
