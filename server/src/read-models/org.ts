import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf, requireRole } from '../auth/index.js';

/** The least role a read-model route needs: members read, admins see the projections' state. */
export type ReadRole = 'member' | 'admin';

/**
 * How a read-model route learns the caller's org. Every query is scoped by what this returns;
 * it throws (401/403) when the request carries no identity or too little a role.
 */
export type ResolveOrg = (
  request: FastifyRequest,
  reply: FastifyReply,
  role: ReadRole,
) => string | Promise<string>;

/** The default: authenticate with the auth layer's role guard and read the principal's org. */
export const principalOrg: ResolveOrg = async (request, reply, role) => {
  await requireRole(role).call(request.server, request, reply);
  return principalOf(request).org;
};
