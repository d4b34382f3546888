import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyRing } from './api-keys.ts';
import { HttpProblem } from './problem.ts';
import { type Role, roleAllows } from './roles.ts';
import type { Sessions } from './session.ts';

/**
 * Who may call a route, declared on every route (`config.access`); a route without one fails
 * at start. `api:<role>` takes an API key, `web:<role>` a signed-in session, `any:<role>`
 * either; `metrics` an admin key or the metrics token; `public` anyone.
 */
export type Access = 'public' | 'metrics' | `${'api' | 'web' | 'any'}:${Role}`;

/** Who is calling: a web user by name, or an API key by its fingerprint. */
export interface Actor {
  name: string;
  role: Role;
  via: 'api' | 'web';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyInstance {
    /** Every route and who may call it (set by buildServer). */
    accessTable: () => RouteAccess[];
  }
}

/** A web user without a session is sent to sign in rather than shown an error. */
export class SignInRequired extends Error {
  constructor(readonly next: string) {
    super('sign in first');
    this.name = 'SignInRequired';
  }
}

/** Which role a route needs and through which door, from its declaration. */
export function parseAccess(access: Access): { via: 'public' | 'metrics' | 'api' | 'web' | 'any'; role?: Role } {
  if (access === 'public' || access === 'metrics') return { via: access };
  const [via, role] = access.split(':') as ['api' | 'web' | 'any', Role];
  return { via, role };
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Every request: who is calling (API key or session), then whether the route lets them.
 * Returns the table of every route and its access (for tests and the README).
 */
export function installAccessControl(
  server: FastifyInstance,
  options: {
    keys: ApiKeyRing;
    sessions: Sessions;
    metricsToken?: string;
    /**
     * Counts a call refused for a wrong or missing key against its address's sign-in attempts;
     * throws the 429 past them. Without it, keys could be guessed as fast as the server answers.
     */
    limitRefusal?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    /** Answers a refusal. Replied here rather than thrown: a plugin's own error handler (bull-board's) must not see it. */
    refuse: (request: FastifyRequest, reply: FastifyReply, refusal: HttpProblem | SignInRequired) => FastifyReply;
  },
): () => RouteAccess[] {
  server.decorateRequest('actor', undefined);

  // Checked once every plugin has added its routes: a plugin's own hooks may declare its routes' access.
  const routes: { method: string; url: string; options: { config?: { access?: Access } } }[] = [];
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, options: route });
  });
  server.addHook('onReady', async () => {
    const undeclared = routes.find((route) => !route.options.config?.access);
    if (undeclared) throw new Error(`route ${undeclared.method} ${undeclared.url} declares no access (config.access)`);
  });

  /** 401 for a wrong or missing key, or the 429 once the address made too many such calls. */
  async function unauthorized(request: FastifyRequest, reply: FastifyReply, detail: string): Promise<FastifyReply> {
    try {
      await options.limitRefusal?.(request, reply);
    } catch (limited) {
      return options.refuse(request, reply, limited as HttpProblem);
    }
    return options.refuse(request, reply, new HttpProblem(401, 'unauthorized', detail));
  }

  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access;
    // Only the not-found handler has no access of its own: it answers 404 to anyone.
    if (!access || access === 'public') {
      request.actor = await options.sessions.read(request);
      return undefined;
    }
    const { via, role } = parseAccess(access);
    const bearer = bearerOf(request);
    if (via === 'metrics' && bearer && options.metricsToken && sameSecret(bearer, options.metricsToken)) return undefined;
    if (bearer !== undefined && via !== 'web') {
      const key = options.keys.match(bearer);
      if (!key) return unauthorized(request, reply, 'the API key is not valid: send Authorization: Bearer <key> with a key from PARCELBOT_API_KEYS');
      request.actor = { name: key.fingerprint, role: key.role, via: 'api' };
    } else if (via !== 'api' && via !== 'metrics') {
      request.actor = await options.sessions.read(request);
    }
    const actor = request.actor;
    if (!actor) {
      if (via === 'web' || (via === 'any' && request.headers.accept?.includes('text/html'))) return options.refuse(request, reply, new SignInRequired(request.url));
      reply.header('www-authenticate', 'Bearer');
      return unauthorized(request, reply, 'send Authorization: Bearer <key> with a key from PARCELBOT_API_KEYS');
    }
    const needed: Role = role ?? 'admin';
    if (!roleAllows(actor.role, needed)) return options.refuse(request, reply, new HttpProblem(403, 'forbidden', `this needs the ${needed} role; you have ${actor.role}`));
  });
  return () => routes.map((route) => ({ method: route.method, url: route.url, access: route.options.config?.access ?? 'public' }));
}
