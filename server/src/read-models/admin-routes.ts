import type { FastifyPluginAsync } from 'fastify';
import type { ReadSide } from './read-side.js';

/** Each projection's position, lag and failures (the failures of the caller's org only). */
export const adminRoutes: FastifyPluginAsync<{ side: ReadSide }> = async (app, { side }) => {
  app.get(
    '/api/admin/projections',
    { schema: { tags: ['admin'], summary: 'Read-model positions, lag behind the store head, and failures' } },
    async (request, reply) => {
      const org = await side.resolveOrg(request, reply, 'admin');
      return { projections: await side.running().status({ org }) };
    },
  );
};
