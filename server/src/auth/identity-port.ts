import type { Role } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import type { FastifyBaseLogger } from 'fastify';

/** An API key that still works, as authentication needs it. */
export interface ActiveApiKey {
  id: string;
  org: string;
  role: Role;
  agent: string | null;
}

/**
 * What authentication needs of identity. Declared here and provided by the identity capability, so
 * that auth depends on no capability's tables while the identity routes still use auth's guards.
 */
export interface IdentityPort {
  readonly jwtSecret: Uint8Array;
  /** Where refused credentials are audited. */
  readonly store: EventStore;
  readonly log: Pick<FastifyBaseLogger, 'error'>;
  now(): Date;
  /** The key with this hash unless it is unknown or revoked; may answer from a short-lived cache. */
  activeApiKey(hash: string): Promise<ActiveApiKey | undefined>;
  /** The key with this hash only if it was revoked, read afresh: a refusal names it in its org. */
  revokedApiKey(hash: string): Promise<{ id: string; org: string } | undefined>;
  /** Records that the key was used at `now`. */
  touchApiKey(key: { org: string; id: string }, now: Date): Promise<void>;
  /** The user's role in the org, read on every request so that a removal applies at once. */
  membershipRole(member: { org: string; userId: string }): Promise<Role | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Provided by the identity plugin; `requireRole` authenticates through it. */
    identityPort: IdentityPort;
  }
}
