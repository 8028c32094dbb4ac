import { z } from 'zod';
import { id } from './schemas.js';

/** The external systems an org can connect (docs/integrations.md). */
export const integrationKinds = ['salesforce', 'gmail', 'slack'] as const;

/** How a connection was made: which credential the sealed row holds. */
export const integrationMethods = [
  'password',
  'refresh_token',
  'oauth_code',
  'bot_token',
  'webhook',
] as const;

/**
 * A field or object name of an external system (`Lead`, `Rating`, `labelIds`): letters, digits and
 * `_ . : -` only, so an e-mail address, a sentence or a number with a sign cannot pass for a name and
 * reach the log (decisions/0037).
 */
export const externalName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'a field or object name: letters, digits, _ . : -');

const connection = { connectionId: id, kind: z.enum(integrationKinds) };
const access = z.strictObject({
  ...connection,
  objectType: externalName,
  operation: z.enum(['query', 'get', 'list', 'update', 'modify', 'post', 'create']),
  fields: z.array(externalName).max(100),
  /** How many records the operation touched; never which. */
  count: z.number().int().nonnegative(),
});

/**
 * Connections to external systems, one subject `integration/<connection id>`. Credentials are sealed in a
 * table and appear here by an 8-hex fingerprint at most; reads and writes name the object type, the
 * operation and the field names touched, never a value (decisions/0037).
 */
export const integrationEvents = {
  'cp.integration.connected': z.strictObject({
    ...connection,
    method: z.enum(integrationMethods),
    label: z.string().min(1).max(100),
    fingerprint: z.string().regex(/^[0-9a-f]{8}$/),
    /**
     * What the connection is set to, as identifiers only (a Slack channel and team id, Salesforce field
     * names): the connection list rebuilds from the log, and no free text rides along.
     */
    settings: z
      .record(z.string().regex(/^[a-zA-Z]{1,40}$/), z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/))
      .optional(),
  }),
  'cp.integration.token.refreshed': z.strictObject({
    ...connection,
    fingerprint: z.string().regex(/^[0-9a-f]{8}$/),
  }),
  /** The vendor refused the stored credential: `revoked` (invalid_grant, token_revoked) or `expired`. */
  'cp.integration.credential.failed': z.strictObject({
    ...connection,
    status: z.enum(['revoked', 'expired']),
    /** The vendor's error code (`invalid_grant`), never its message, which may echo the credential. */
    reason: z.string().regex(/^[a-z0-9_.-]{1,60}$/),
  }),
  'cp.integration.disconnected': z.strictObject(connection),
  /** A Slack connection's alert kinds changed after connecting (decisions/0049): the whole new set. */
  'cp.integration.alerts.changed': z.strictObject({
    ...connection,
    alerts: z.array(z.enum(['hitl', 'drift', 'budget'])).max(3),
  }),
  'cp.integration.read': access,
  'cp.integration.write': access,
} as const;
