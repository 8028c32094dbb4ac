import { loginBody, registerBody, session, switchOrgBody, whoAmI } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireRole, requireUser } from '../../auth/require-role.js';
import { apiError } from '../../http/errors.js';
import { authRateLimit, bearer } from '../../http/route-security.js';
import { createOrgWithOwner, createUser, sessionFor } from '../service/accounts.js';
import { login } from '../service/login.js';
import { orgById, orgsOfUser, userById } from '../tables/queries.js';

/** Sign-up, sign-in and the org switcher. */
export const authRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.identity;
  const limited = authRateLimit(ctx.config.authRateLimit);

  app.post(
    '/api/auth/register',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Create an account and a new organisation owned by it',
        body: registerBody,
        response: { 201: session },
      },
    },
    async (request, reply) => {
      const user = await createUser(ctx, request.body);
      const org = await createOrgWithOwner(ctx, { name: request.body.orgName, ownerUserId: user.id });
      const { token, expiresAt } = await sessionFor(ctx, { userId: user.id, org: org.id });
      return reply.status(201).send({ token, expiresAt: expiresAt.toISOString(), user, org });
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: limited,
      schema: {
        tags: ['auth'],
        summary: 'Sign in; the token acts in `org`, or in the first org the user joined',
        body: loginBody,
        response: { 200: session },
      },
    },
    async (request) => {
      const result = await login(ctx, request.body);
      return {
        ...result,
        expiresAt: result.expiresAt.toISOString(),
        org: { id: result.org.id, name: result.org.name },
      };
    },
  );

  app.post(
    '/api/auth/switch',
    {
      config: limited,
      onRequest: requireUser(),
      schema: {
        tags: ['auth'],
        summary: 'A token for another org the signed-in user belongs to',
        security: bearer,
        body: switchOrgBody,
        response: { 200: session },
      },
    },
    async (request) => {
      const userId = request.principal.userId!;
      const org = (await orgsOfUser({ db: ctx.db, userId })).find((o) => o.id === request.body.org);
      if (!org) throw apiError('forbidden', 'you are not a member of that organisation');
      const user = await userById({ db: ctx.db, id: userId });
      if (!user) throw apiError('unauthenticated', 'the account no longer exists');
      const { token, expiresAt } = await sessionFor(ctx, { userId, org: org.id });
      return { token, expiresAt: expiresAt.toISOString(), user, org: { id: org.id, name: org.name } };
    },
  );

  app.get(
    '/api/auth/me',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['auth'],
        summary: 'Who the credential is: org, role, and the user or API key',
        security: bearer,
        response: { 200: whoAmI },
      },
    },
    async (request) => {
      const p = request.principal;
      const user = p.userId ? await userById({ db: ctx.db, id: p.userId }) : undefined;
      return {
        org: (await orgById({ db: ctx.db, id: p.org })) ?? { id: p.org, name: p.org },
        role: p.role,
        actor: p.actor,
        ...(user ? { user } : {}),
        ...(p.apiKeyId ? { apiKeyId: p.apiKeyId } : {}),
      };
    },
  );
};
