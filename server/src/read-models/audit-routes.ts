import { Readable } from 'node:stream';
import { type AuditPage, auditFilterQuery, auditListQuery, auditStreamHeaders } from '@proofpane/api';
import { queryAudit } from '@proofpane/projections';
import { stringify } from 'csv-stringify';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { csvRecords } from './audit-csv.js';
import { filterOf } from './audit-query.js';
import { streamAudit } from './audit-stream.js';
import { namedIds, resolveNames } from './names.js';
import type { ReadSide } from './read-side.js';

/** The audit index: a filtered, paginated list, its live SSE stream, and a streamed CSV export. */
export const auditRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (base, { side }) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: "The org's events, filtered, oldest first; `next` continues with `after`",
        querystring: auditListQuery,
      },
    },
    async (request, reply): Promise<AuditPage> => {
      const org = await side.resolveOrg(request, reply, 'member');
      const { after, limit, ...filter } = request.query;
      const page = await queryAudit({ db: side.db, org, filter: filterOf(filter), after, limit });
      return { ...page, names: await resolveNames({ db: side.db, org, ids: namedIds(page.events) }) };
    },
  );

  app.get(
    '/api/audit/stream',
    {
      schema: {
        tags: ['audit'],
        summary: 'Server-Sent Events of new events; resumes after the Last-Event-ID header (an org seq)',
        querystring: auditFilterQuery,
        headers: auditStreamHeaders,
      },
    },
    async (request, reply) => {
      const org = await side.resolveOrg(request, reply, 'member');
      const filter = filterOf(request.query);
      const resume = request.headers['last-event-id'];
      const afterSeq =
        resume !== undefined
          ? Number(resume)
          : filter.fromSeq !== undefined
            ? filter.fromSeq - 1
            : ((await side.store.head(org))?.seq ?? 0);
      const sse = side.openStream(request, reply);
      streamAudit({ store: side.store, hub: side.hub, org, filter, afterSeq, sse, onError: side.onError });
    },
  );

  app.get(
    '/api/audit/export.csv',
    {
      schema: {
        tags: ['audit'],
        summary:
          'The filtered events as CSV, headed by the org, filters, time and first/last seq with hashes',
        querystring: auditFilterQuery,
      },
    },
    async (request, reply) => {
      const org = await side.resolveOrg(request, reply, 'member');
      const filter = filterOf(request.query);
      const exportedAt = side.now();
      const records = await csvRecords({ db: side.db, org, filter, exportedAt });
      const stamp = exportedAt.toISOString().replace(/[:.]/g, '-');
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`);
      return reply.send(Readable.from(records).pipe(stringify()));
    },
  );
};
