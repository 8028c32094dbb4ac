import { apiKeyCreated, apiKeyList, createApiKeyBody, entityId } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role.js';
import { bearer } from '../../http/route-security.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../service/api-keys.js';

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
        body: createApiKeyBody,
        response: { 201: apiKeyCreated },
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
        response: { 200: apiKeyList },
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
