import type { Role } from '@proofpane/commands';

/**
 * Who is calling, in which org, with which role. Every route reads the org from here and
 * never from the URL or body: that is what keeps one tenant out of another's data.
 */
export interface Principal {
  org: string;
  actor: { kind: 'user' | 'apikey'; id: string };
  role: Role;
  /** Set when a person signed in (a session token). */
  userId?: string;
  /** Set when a program called with an org API key. */
  apiKeyId?: string;
  /** The agent an API key was issued to, if any. */
  agent?: string;
}
