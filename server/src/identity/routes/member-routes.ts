import { member, memberList, memberParams, memberRoleBody } from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role.js';
import { apiError } from '../../http/errors.js';
import { bearer } from '../../http/route-security.js';
import { changeMemberRole, listMembers, removeMember } from '../service/members.js';

/** The caller's org roster: anyone may read it; admins and owners change it. */
export const memberRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const ctx = app.identity;

  app.get(
    '/api/members',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['members'],
        summary: 'Members of the caller’s organisation',
        security: bearer,
        response: { 200: memberList },
      },
    },
    async (request) => ({ members: await listMembers(ctx, request.principal.org) }),
  );

  app.patch(
    '/api/members/:userId',
    {
      onRequest: requireRole('admin'),
      schema: {
        tags: ['members'],
        summary: 'Change a member’s role (owner changes need an owner; the last owner stays)',
        security: bearer,
        params: memberParams,
        body: memberRoleBody,
        response: { 200: member },
      },
    },
    async (request) => {
      await changeMemberRole(ctx, {
        principal: request.principal,
        userId: request.params.userId,
        role: request.body.role,
      });
      const updated = (await listMembers(ctx, request.principal.org)).find(
        (m) => m.userId === request.params.userId,
      );
      if (!updated) throw apiError('not_found', 'the member is gone');
      return updated;
    },
  );

  app.delete(
    '/api/members/:userId',
    {
      onRequest: requireRole('member'),
      schema: {
        tags: ['members'],
        summary: 'Remove a member (admins and owners), or leave the organisation yourself',
        security: bearer,
        params: memberParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const p = request.principal;
      if (p.userId !== request.params.userId && p.role === 'member')
        throw apiError('forbidden', 'removing another member needs the admin role or above');
      await removeMember(ctx, { principal: p, userId: request.params.userId });
      return reply.status(204).send(null);
    },
  );
};
