import type { FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';

/**
 * How a read-model route learns the caller's org. Every query is scoped by what this returns;
 * it throws (401) when the request carries no identity.
 */
export type ResolveOrg = (request: FastifyRequest) => string | Promise<string>;

/** The default: the org of the authenticated principal that the auth layer puts on the request. */
export const principalOrg: ResolveOrg = (request) => {
  const org = (request as FastifyRequest & { principal?: { org?: string } }).principal?.org;
  if (!org) throw apiError('unauthenticated', 'sign in or present an API key to read this organisation');
  return org;
};
