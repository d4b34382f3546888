import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const FILES = {
  'app.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
} as const;

/** The pages' stylesheet and script, read once at start (no build step, no CDN). */
export function registerStaticFiles(server: FastifyInstance): void {
  const contents = new Map(Object.keys(FILES).map((name) => [name, readFileSync(new URL(`./static/${name}`, import.meta.url))]));
  server.get('/static/:name', {
    config: { access: 'public', rateLimit: false },
    schema: { hide: true, params: z.object({ name: z.enum(Object.keys(FILES) as [keyof typeof FILES]) }) },
    handler: async (request, reply) => {
      const name = (request.params as { name: keyof typeof FILES }).name;
      return reply.type(FILES[name]).header('cache-control', 'public, max-age=300').send(contents.get(name));
    },
  });
}
