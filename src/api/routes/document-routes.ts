import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';
import { numericId } from './query-params.ts';

/** A media type and nothing else: a stored value that is not one is served as plain bytes. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** `attachment` with the name twice: ASCII for old clients, UTF-8 (RFC 6266, 8187) for the others. No quote or line break gets through. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Documents the follow-ups made (return labels, evidence packs), downloaded by managers (API key or web session). */
export function registerDocumentRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  api.get('/api/documents/:id', {
    config: { access: 'any:manager' },
    schema: {
      tags: ['documents'],
      summary: 'A document (return label, evidence pack) as a download',
      description: 'The bytes as stored, with their content type, as an attachment (never shown inline). The ids are in `GET /api/shipments/:id` (`documents`).',
      params: z.object({ id: numericId }),
    },
    handler: async (request, reply) => {
      const document = await (await context.app.store()).documents.get(request.params.id);
      if (!document) throw new HttpProblem(404, 'not-found', `no document ${request.params.id}`);
      const type = MEDIA_TYPE.test(document.contentType) ? document.contentType : 'application/octet-stream';
      return reply.type(type).header('content-disposition', attachmentDisposition(document.fileName)).send(document.content);
    },
  });
}
