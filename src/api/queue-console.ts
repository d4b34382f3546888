import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { problemOf, sendProblem } from './problem.ts';

export const CONSOLE_PATH = '/admin/queues';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Content-Security-Policy a route's pages need: `strict` unless it says otherwise. */
    csp?: 'strict' | 'console';
  }
}

/**
 * bull-board at /admin/queues, for admins only (API key or web session). Its React app needs
 * inline styles, so its pages get a policy of their own; its changes (retry, clean, pause) are
 * refused from another origin, on top of the session cookie's SameSite=Strict.
 */
export async function registerQueueConsole(server: FastifyInstance, queues: readonly Queue[]): Promise<void> {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(CONSOLE_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'parcelbot queues' } } });
  await server.register(async (console) => {
    console.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'any:admin', csp: 'console', rateLimit: false } as typeof route.config;
    });
    console.addHook('onRequest', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return undefined;
      const origin = request.headers.origin;
      // Replied, not thrown: bull-board's own error handler would answer 500.
      if (origin !== undefined && hostOf(origin) !== request.headers.host) return sendProblem(reply, problemOf(403, 'cross-origin', 'changes to the queues are accepted from this site only'));
      return undefined;
    });
    await console.register(adapter.registerPlugin(), { prefix: CONSOLE_PATH });
  });
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
