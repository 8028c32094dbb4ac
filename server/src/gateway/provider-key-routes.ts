import { providerKey, providerKeyList, providerKeyParams, setProviderKeyBody } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { removeProviderKey, setProviderKey } from './commands.js';
import type { GatewayContext } from './context.js';

const bearer = [{ bearer: [] }];
const providerParam = providerKeyParams;
const keyOut = providerKey;

/** Per-org provider keys: set or remove one; list which providers have one (fingerprint only, never the key). */
export function providerKeyRoutes(ctx: GatewayContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const store = base.runtime.store;

    app.get(
      '/api/provider-keys',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['provider-keys'],
          summary: 'Providers with an org key',
          security: bearer,
          response: { 200: providerKeyList },
        },
      },
      async (request) => ({ providerKeys: await ctx.vault.list({ org: principalOf(request).org }) }),
    );

    app.put(
      '/api/provider-keys/:provider',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['provider-keys'],
          summary: 'Set the org key for a provider (stored encrypted, never returned)',
          security: bearer,
          params: providerParam,
          body: setProviderKeyBody,
          response: { 200: keyOut },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const stored = await setProviderKey({
          store,
          vault: ctx.vault,
          org: p.org,
          actor: p.actor,
          provider: request.params.provider,
          apiKey: request.body.apiKey,
          now: ctx.now(),
        });
        ctx.forgetOrgKeys(p.org);
        return stored;
      },
    );

    app.delete(
      '/api/provider-keys/:provider',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['provider-keys'],
          summary: 'Remove the org key for a provider',
          security: bearer,
          params: providerParam,
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const removed = await removeProviderKey({
          store,
          vault: ctx.vault,
          org: p.org,
          actor: p.actor,
          provider: request.params.provider,
        });
        ctx.forgetOrgKeys(p.org);
        if (!removed) throw apiError('not_found', `no key is set for ${request.params.provider}`);
        return reply.status(204).send();
      },
    );
  };
}
