import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { checkHealth } from '../health.ts';
import { createMetrics } from '../metrics.ts';
import type { ServerContext } from '../server-context.ts';
import { workQueues } from '../work-queues.ts';

/** /health (public: load balancers and probes), /metrics (admin key or metrics token), /api/openapi.json (public). */
export function registerOperationsRoutes(server: FastifyInstance, context: ServerContext, redis: Redis): void {
  const { app } = context;
  const queues = workQueues(app);
  const metrics = createMetrics({ store: app.store, queues, clock: app.clock, dailyCalls: () => app.dailyBudget.usage() });

  server.get('/health', {
    config: { access: 'public', rateLimit: false },
    schema: { hide: true },
    handler: async (_request, reply) => {
      const report = await checkHealth({ redis, store: app.store, queues });
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    },
  });

  server.get('/metrics', {
    config: { access: 'metrics', rateLimit: false },
    schema: { hide: true },
    handler: async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
  });

  server.get('/api/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
    handler: async () => server.swagger(),
  });
}
