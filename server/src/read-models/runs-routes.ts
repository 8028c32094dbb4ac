import { RUN_STREAM_EVENT, type RunList, type RunTree, runListQuery, runParams } from '@proofpane/api';
import { listRuns, runTree } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { apiError } from '../http/errors.js';
import type { ReadSide } from './read-side.js';

/** Agent runs of every kind as one tree: the recent ones with rollups, a nested tree, and its live stream. */
export const runsRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (base, { side }) => {
  const app = base.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/runs',
    {
      schema: {
        tags: ['runs'],
        summary: 'Runs started in the window with descendant rollups; top-level ones unless a kind is named',
        querystring: runListQuery,
      },
    },
    async (request, reply): Promise<RunList> => {
      const { window, kind, limit } = request.query;
      const org = await side.resolveOrg(request, reply, 'member');
      return { runs: await listRuns({ db: side.db, org, window, kind, now: side.now(), limit }) };
    },
  );

  app.get(
    '/api/runs/:id/tree',
    {
      schema: {
        tags: ['runs'],
        summary: 'A run and every run under it, nested, with rollups',
        params: runParams,
      },
    },
    async (request, reply): Promise<RunTree> => {
      const org = await side.resolveOrg(request, reply, 'member');
      const run = await runTree({ db: side.db, org, runId: request.params.id });
      if (!run) throw apiError('not_found', `no run ${request.params.id}`);
      return { run };
    },
  );

  app.get(
    '/api/runs/:id/stream',
    {
      schema: {
        tags: ['runs'],
        summary: 'Server-Sent Events: the tree now, then again each time it changes',
        params: runParams,
      },
    },
    async (request, reply) => {
      const org = await side.resolveOrg(request, reply, 'member');
      const id = request.params.id;
      const projections = side.running();
      const first = await runTree({ db: side.db, org, runId: id });
      if (!first) throw apiError('not_found', `no run ${id}`);
      const sse = side.openStream(request, reply);
      let last = JSON.stringify({ run: first } satisfies RunTree);
      sse.send({ event: RUN_STREAM_EVENT, data: last });
      let queue = Promise.resolve();
      const unlisten = projections.onApplied((applied) => {
        if (applied.projection !== 'agent-runs' || !applied.orgs.includes(org)) return;
        queue = queue
          .then(async () => {
            if (sse.closed) return;
            const run = await runTree({ db: side.db, org, runId: id });
            const next = JSON.stringify({ run });
            if (run && next !== last) {
              last = next;
              sse.send({ event: RUN_STREAM_EVENT, data: next });
            }
          })
          .catch(side.onError);
      });
      sse.onClose(unlisten);
    },
  );
};
