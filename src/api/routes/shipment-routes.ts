import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TRACKING_STATUSES } from '../../domain/tracking-status.ts';
import { VERDICTS } from '../../domain/verdict.ts';
import { importRows } from '../../import/import-shipments.ts';
import { columnProblem } from '../../import/read-shipment-file.ts';
import { HttpProblem } from '../problem.ts';
import type { ServerContext } from '../server-context.ts';
import { instant, isoDay, listOf, shipmentId } from './query-params.ts';

const listQuery = z.strictObject({
  status: listOf(TRACKING_STATUSES, 'statuses'),
  verdict: listOf(VERDICTS, 'verdicts').describe('The verdict stored when the shipment was last judged; a shipment never checked has none.'),
  carrier: z.string().max(40).optional(),
  channel: z.string().max(100).optional(),
  createdFrom: instant.optional().describe('Imported or first read at or after.'),
  createdTo: instant.optional().describe('Imported or first read before.'),
  promisedFrom: isoDay.optional().describe('Promised for this day or later.'),
  promisedTo: isoDay.optional().describe('Promised for this day or earlier.'),
  q: z.string().trim().min(1).max(254).optional().describe("A tracking number (or its first 6+ characters), an order reference or a customer's e-mail address."),
  before: shipmentId.optional().describe('The `nextCursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const importBody = z.strictObject({
  shipments: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .max(100_000)
    .describe('Rows with the columns of an import file: tracking_number and carrier required; order_ref, channel, customer_email, customer_lang, declared_value, currency, destination_country, promised_date or promised_from/promised_to.'),
  strict: z.boolean().default(false).describe('Import nothing if any row is bad.'),
});

/** The shipments: a filtered list, one case in full, and imports with the CLI's rules. */
export function registerShipmentRoutes(server: FastifyInstance, context: ServerContext): void {
  const api = server.withTypeProvider<ZodTypeProvider>();
  api.get('/api/shipments', {
    config: { access: 'api:agent' },
    schema: { tags: ['shipments'], summary: 'Shipments, newest first, filtered; `nextCursor` gives the next page', querystring: listQuery },
    handler: async (request) => {
      const { status, verdict, before, q, ...filter } = request.query;
      return context.shipments.list({ ...filter, statuses: status, verdicts: verdict, beforeId: before, search: q });
    },
  });

  api.get('/api/shipments/:id', {
    config: { access: 'api:agent' },
    schema: {
      tags: ['shipments'],
      summary: 'One case: timeline, stored verdict and its reasons, promise, suggested answer, freshness, contacts, follow-ups with their audit trail, documents, claims and evidence',
      params: z.object({ id: shipmentId }),
    },
    handler: async (request) => {
      const detail = await context.shipments.detail(request.params.id);
      if (!detail) throw new HttpProblem(404, 'not-found', `no shipment ${request.params.id}`);
      return detail;
    },
  });

  api.post('/api/shipments', {
    config: { access: 'api:manager' },
    bodyLimit: context.app.config.core.API_IMPORT_BODY_LIMIT,
    schema: {
      tags: ['shipments'],
      summary: 'Import shipments (the rules of parcelbot import)',
      description:
        'Good rows are stored in one transaction; bad ones are reported with their index (0-based) and reason. A known shipment (carrier and number) is updated; a blank field never erases a stored value. With `strict`, any bad row refuses the whole request (422).',
      body: importBody,
    },
    handler: async (request, reply) => {
      const { shipments, strict } = request.body;
      const problem = columnProblem([...new Set(shipments.flatMap((row) => Object.keys(row)))]);
      if (problem) throw HttpProblem.field('shipments', problem);
      const { app } = context;
      const store = await app.store();
      const report = await importRows(
        shipments.map((values, index) => ({ line: index, values })),
        { strict, registry: app.registry, openDb: async () => store.db, now: app.clock.now() },
      );
      const problems = report.problems.map(({ line, field, message }) => ({ index: line, field, message }));
      if (report.refused) {
        const errors = problems.map(({ index, field, message }) => ({ field: `shipments.${index}.${field}`, message }));
        throw new HttpProblem(422, 'import-refused', `nothing imported (strict): ${problems.length} of ${report.rows} rows are bad`, { errors, extensions: { problems } });
      }
      return reply.code(200).send({ rows: report.rows, inserted: report.inserted, updated: report.updated, problems });
    },
  });
}
