import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role.js';
import { authRateLimit, bearer } from '../../http/route-security.js';
import { acceptInvitation, invite, listInvitations, revokeInvitation } from '../service/invitations.js';
import { email, entityId, orgView, password, role, userView } from './schemas.js';

const delivery = z.discriminatedUnion('method', [
  z.object({ method: z.literal('smtp'), sent: z.boolean(), error: z.string().optional() }),
  z.object({ method: z.literal('log'), link: z.string(), note: z.string() }),
]);

const invitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);

/** Magic-link invitations: single use, expiring, stored only as a hash. */
export const invitationRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.identity;

  app.post(
    '/api/invitations',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['invitations'],
        summary: 'Invite an email address with a role; the link goes by mail (or, without SMTP, back to you)',
        security: bearer,
        body: z.object({ email, role: role.default('member') }),
        response: {
          201: z.object({ id: z.string(), email: z.string(), role, expiresAt: z.string(), delivery }),
        },
      },
    },
    async (request, reply) => {
      const created = await invite(ctx, { principal: request.principal, ...request.body });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/invitations',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['invitations'],
        summary: 'Invitations of the org, with their status (all, or only those of `status`)',
        security: bearer,
        querystring: z.object({ status: invitationStatus.optional() }),
        response: {
          200: z.object({
            invitations: z.array(
              z.object({
                id: z.string(),
                email: z.string(),
                role,
                status: invitationStatus,
                expiresAt: z.string(),
                createdAt: z.string(),
                invitedBy: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const all = await listInvitations(ctx, request.principal.org);
      const { status } = request.query;
      return { invitations: status ? all.filter((i) => i.status === status) : all };
    },
  );

  app.delete(
    '/api/invitations/:id',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['invitations'],
        summary: 'Revoke a pending invitation',
        security: bearer,
        params: z.object({ id: entityId }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await revokeInvitation(ctx, { principal: request.principal, invitationId: request.params.id });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/invitations/accept',
    {
      config: authRateLimit(ctx.config.authRateLimit),
      schema: {
        tags: ['invitations'],
        summary: 'Accept with the token from the link; a new account also sends a password',
        body: z.object({ token: z.string().min(20).max(200), password: password.optional() }),
        response: { 200: z.object({ token: z.string(), user: userView, org: orgView, role }) },
      },
    },
    async (request) => acceptInvitation(ctx, request.body),
  );
};
