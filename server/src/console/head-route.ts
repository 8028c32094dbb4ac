import { chainHead } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';

/**
 * The head of the caller's org chain: Mission Control starts its newest-first list and its live
 * stream (Last-Event-ID) from it, so no event falls between the first page and the stream.
 */
export const chainHeadRoute: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/console/head',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['audit'],
        summary: "The org chain's last seq and hash (0 and 64 zeros before the first event)",
        security: [{ bearerAuth: [] }],
        response: { 200: chainHead },
      },
    },
    async (request) => {
      const head = await app.runtime.store.head(principalOf(request).org);
      return head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: '0'.repeat(64) };
    },
  );
};
