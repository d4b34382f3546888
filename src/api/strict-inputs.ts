import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { CONSOLE_PATH } from './queue-console.ts';

/** Methods whose body Fastify never reads: a body schema on them would check nothing. */
const BODYLESS = new Set(['GET', 'HEAD', 'TRACE']);

/** A route that takes no query fields: any one sent (a misspelt `carier`) is refused, never ignored. */
const noQuery = z.strictObject({});

/** A route that takes no body: none, or an empty object (clients that always send `{}`); a field in it is refused. */
const noBody = z.strictObject({}).nullish();

const takesBody = (route: RouteOptions) => [route.method].flat().some((method) => !BODYLESS.has(method));

/**
 * Gives every route that declares no querystring a strict empty one, and every route with a
 * body that declares none a strict empty body, as it is registered: a new route cannot forget
 * to refuse unknown fields. Declared schemas are the route's own (z.strictObject: the test
 * of every route checks them). The queue console is bull-board's, with query fields of its own.
 * Install before any route is registered.
 */
export function refuseUndeclaredFields(server: FastifyInstance): void {
  server.addHook('onRoute', (route) => {
    if (route.url.startsWith(CONSOLE_PATH)) return;
    const schema = (route.schema ??= {});
    schema.querystring ??= noQuery;
    if (takesBody(route)) schema.body ??= noBody;
  });
}
