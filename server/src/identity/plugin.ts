import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { loadJwtSecret } from '../auth/jwt-secret.js';
import type { Principal } from '../auth/principal.js';
import { principalDecoration } from '../auth/require-role.js';
import type { IdentityContext } from './context.js';
import { identityPort } from './identity-port.js';
import { createMailer } from './mail/mailer.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { invitationRoutes } from './routes/invitation-routes.js';
import { memberRoutes } from './routes/member-routes.js';
import { orgRoutes } from './routes/org-routes.js';
import { migrateIdentity } from './tables/migrations.js';
import { identityDb } from './tables/schema.js';

/**
 * Identity and tenancy: the tables, `app.identity`, `app.identityPort` (the lookups `requireRole`
 * authenticates with), `request.principal` (set by `requireRole`), the per-route rate limiter, and
 * the /api/auth, /api/orgs, /api/members, /api/invitations and /api/api-keys routes.
 */
export const identityPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    await migrateIdentity(runtime.database.db);
    const mailer = createMailer({
      smtpUrl: runtime.config.smtpUrl,
      from: runtime.config.mailFrom,
      log: app.log,
    });
    const ctx: IdentityContext = {
      db: identityDb(runtime.database.db),
      store: runtime.store,
      config: runtime.config,
      jwtSecret: loadJwtSecret({ secret: runtime.config.jwtSecret, dataDir: runtime.config.dataDir }),
      mailer,
      log: app.log,
      now: () => new Date(),
    };
    app.decorate('identity', ctx);
    app.decorate('identityPort', identityPort(ctx));
    app.decorateRequest('principal', principalDecoration);
    app.addHook('onClose', async () => mailer.close());
    await app.register(rateLimit, { global: false });
    await app.register(authRoutes);
    await app.register(orgRoutes);
    await app.register(memberRoutes);
    await app.register(invitationRoutes);
    await app.register(apiKeyRoutes);
  },
  { name: 'proofpane-identity' },
);

declare module 'fastify' {
  interface FastifyInstance {
    identity: IdentityContext;
  }
  interface FastifyRequest {
    /** The authenticated caller; only on routes guarded by `requireRole`/`requireUser`. */
    readonly principal: Principal;
  }
}
