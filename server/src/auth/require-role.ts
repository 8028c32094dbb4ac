import { hasRole, type Role } from '@proofpane/commands';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { apiError } from '../http/errors.js';
import { authenticate } from './authenticate.js';
import type { Principal } from './principal.js';

const PRINCIPAL = Symbol('proofpane.principal');
type WithPrincipal = FastifyRequest & { [PRINCIPAL]?: Principal };

/** The principal `requireRole` resolved for this request; 401 if the route never asked for one. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = (request as WithPrincipal)[PRINCIPAL];
  if (!principal) throw apiError('unauthenticated', 'this route did not authenticate its caller');
  return principal;
}

/**
 * The one way a route authenticates: `{ onRequest: requireRole('admin') }`. It runs before
 * the body is read, answers 401 without a valid credential and 403 below `role`; after it,
 * `request.principal` is the caller.
 */
export function requireRole(role: Role): onRequestAsyncHookHandler {
  return async function requireRoleHook(request, reply) {
    const principal = await authenticate({ ctx: request.server.identityPort, request, reply });
    (request as WithPrincipal)[PRINCIPAL] = principal;
    if (!hasRole({ role: principal.role, required: role }))
      throw apiError('forbidden', `this needs the ${role} role or above; the caller is ${principal.role}`);
  };
}

/** Like `requireRole('member')`, for routes only a signed-in person may use (not an API key). */
export function requireUser(): onRequestAsyncHookHandler {
  const member = requireRole('member');
  return async function requireUserHook(request, reply) {
    await member.call(this, request, reply);
    if (!principalOf(request).userId)
      throw apiError('forbidden', 'this route is for signed-in users; API keys cannot use it');
  };
}

export const principalDecoration = {
  getter(this: FastifyRequest): Principal {
    return principalOf(this);
  },
};
