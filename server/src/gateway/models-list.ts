import type { FastifyRequest } from 'fastify';
import { principalOf } from '../auth/index.js';
import type { ProviderId } from './commands.js';
import type { GatewayContext } from './context.js';

/**
 * The models a caller can reach: `demo`, then every model of the price table and of the org's own prices
 * whose provider has a key (the platform's or the org's). Ids are `provider/model`, which the routes accept
 * as given. The Anthropic SDK (it sends `anthropic-version`) gets the Anthropic list shape.
 */
export async function listModels(ctx: GatewayContext, request: FastifyRequest) {
  const org = principalOf(request).org;
  const [own, budget] = await Promise.all([ctx.vault.list({ org }), ctx.orgBudgets.get(org)]);
  const available = new Set<string>([...ctx.registry.available(), ...own.map((k) => k.provider)]);
  const providerOf = (key: string) => key.slice(0, key.indexOf('/'));
  const ids = [...new Set([...Object.keys(ctx.prices.current().models), ...Object.keys(budget.models)])]
    .filter((key) => key.includes('/') && available.has(providerOf(key)) && !key.startsWith('demo/'))
    .sort();
  if (typeof request.headers['anthropic-version'] === 'string') {
    const data = ['demo', ...ids].map((id) => ({
      type: 'model',
      id,
      display_name: id === 'demo' ? 'Proofpane offline demo' : id,
      created_at: '1970-01-01T00:00:00Z',
    }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
  return {
    object: 'list',
    data: [
      { id: 'demo', object: 'model', created: 0, owned_by: 'proofpane-demo (offline demo provider)' },
      ...ids.map((id) => ({ id, object: 'model', created: 0, owned_by: providerOf(id) as ProviderId })),
    ],
  };
}
