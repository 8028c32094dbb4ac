import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role.js';
import { bearer } from '../../http/route-security.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../service/api-keys.js';
import { apiKeyRole, entityId } from './schemas.js';

/** Org API keys for programs. The key is in the 201 answer once and nowhere else. */
export const apiKeyRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.identity;

  app.post(
    '/api/api-keys',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['api-keys'],
        summary: 'Create an org API key (shown once)',
        security: bearer,
        body: z.object({
          name: z.string().trim().min(1).max(200),
          role: apiKeyRole.default('member'),
          agent: z.string().trim().min(1).max(100).optional(),
        }),
        response: {
          201: z.object({
            id: z.string(),
            key: z.string(),
            name: z.string(),
            role: apiKeyRole,
            prefix: z.string(),
            createdAt: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(ctx, { principal: request.principal, ...request.body });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/api-keys',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['api-keys'],
        summary: 'The org’s API keys: prefix, last 4, created, last used (never the key)',
        security: bearer,
        response: {
          200: z.object({
            apiKeys: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                role: apiKeyRole,
                agent: z.string().nullable(),
                prefix: z.string(),
                last4: z.string(),
                createdAt: z.string(),
                createdBy: z.string(),
                lastUsedAt: z.string().nullable(),
                revokedAt: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ apiKeys: await listApiKeys(ctx, request.principal.org) }),
  );

  app.delete(
    '/api/api-keys/:id',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke a key; its next request is refused',
        security: bearer,
        params: z.object({ id: entityId }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeApiKey(ctx, { principal: request.principal, keyId: request.params.id });
      return reply.status(204).send(null);
    },
  );
};
