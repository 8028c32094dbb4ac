import { createOrgBody, orgCreated, orgList } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole, requireUser } from '../../auth/require-role.js';
import { bearer } from '../../http/route-security.js';
import { createOrgWithOwner, sessionFor } from '../service/accounts.js';
import { orgById, orgsOfUser } from '../tables/queries.js';

/** The orgs a user belongs to (an API key sees only its own), and new orgs. */
export const orgRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.identity;

  app.get(
    '/api/orgs',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['orgs'],
        summary: 'Organisations of the caller, with the caller’s role in each',
        security: bearer,
        response: { 200: orgList },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p.userId) return { orgs: await orgsOfUser({ db: ctx.db, userId: p.userId }) };
      const org = await orgById({ db: ctx.db, id: p.org });
      return { orgs: org ? [{ ...org, role: p.role }] : [] };
    },
  );

  app.post(
    '/api/orgs',
    {
      onRequest: requireUser(),
      schema: {
        tags: ['orgs'],
        summary: 'Create another organisation owned by the signed-in user; returns a token for it',
        security: bearer,
        body: createOrgBody,
        response: { 201: orgCreated },
      },
    },
    async (request, reply) => {
      const userId = request.principal.userId!;
      const org = await createOrgWithOwner(ctx, { name: request.body.name, ownerUserId: userId });
      const { token, expiresAt } = await sessionFor(ctx, { userId, org: org.id });
      return reply
        .status(201)
        .send({ org: { ...org, role: 'owner' as const }, token, expiresAt: expiresAt.toISOString() });
    },
  );
};
