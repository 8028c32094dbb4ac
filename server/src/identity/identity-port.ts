import type { Role } from '@proofpane/commands';
import type { IdentityPort } from '../auth/identity-port.js';
import { activeApiKey } from './api-key-cache.js';
import type { IdentityContext } from './context.js';
import { activeApiKeyByHash, membershipRole, touchApiKey } from './tables/queries.js';

/**
 * Authentication's view of the identity tables. Every member reads the context when called, not
 * when built, so a spec that moves `ctx.now` moves authentication's clock too.
 */
export function identityPort(ctx: IdentityContext): IdentityPort {
  return {
    get jwtSecret() {
      return ctx.jwtSecret;
    },
    get store() {
      return ctx.store;
    },
    get log() {
      return ctx.log;
    },
    now: () => ctx.now(),
    activeApiKey: async (hash) => {
      const row = await activeApiKey(ctx, hash);
      return row && { id: row.id, org: row.org, role: row.role as Role, agent: row.agent };
    },
    revokedApiKey: async (hash) => {
      const row = await activeApiKeyByHash({ db: ctx.db, hash });
      return row?.revoked_at ? { id: row.id, org: row.org } : undefined;
    },
    touchApiKey: (key, now) => touchApiKey({ db: ctx.db, org: key.org, id: key.id, now }),
    membershipRole: ({ org, userId }) => membershipRole({ db: ctx.db, org, userId }),
  };
}
