import {
  acceptInvitationBody,
  entityId,
  invitationAccepted,
  invitationCreated,
  invitationList,
  invitationListQuery,
  inviteBody,
} from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role.js';
import { authRateLimit, bearer } from '../../http/route-security.js';
import { acceptInvitation, invite, listInvitations, revokeInvitation } from '../service/invitations.js';

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
        body: inviteBody,
        response: { 201: invitationCreated },
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
        querystring: invitationListQuery,
        response: { 200: invitationList },
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
        body: acceptInvitationBody,
        response: { 200: invitationAccepted },
      },
    },
    async (request) => acceptInvitation(ctx, request.body),
  );
};
