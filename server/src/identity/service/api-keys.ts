import { type ApiKeyRole, handleApiKeyCommand } from '@proofpane/commands';
import { newId } from '@proofpane/core';
import type { Transaction } from 'kysely';
import { generateApiKey } from '../../auth/api-key-material.js';
import type { Principal } from '../../auth/principal.js';
import { committed, type IdentityContext } from '../context.js';
import type { IdentityDatabase } from '../tables/schema.js';
import { requester } from './members.js';

/**
 * The event and the key's row (with its hash) are written in one transaction: a row the database
 * refuses leaves no audited key behind, and there is never a usable key without its audit event.
 */
export async function createApiKey(
  ctx: IdentityContext,
  input: { principal: Principal; name: string; role: ApiKeyRole; agent?: string | undefined },
) {
  const { principal } = input;
  const id = newId('key');
  const material = generateApiKey();
  let createdAt = ctx.now();
  await handleApiKeyCommand({
    store: ctx.store,
    org: principal.org,
    actor: principal.actor,
    command: {
      type: 'create-api-key',
      keyId: id,
      name: input.name,
      prefix: material.prefix,
      role: input.role,
      agent: input.agent,
      by: requester(principal),
    },
    inline: async (trx, events) => {
      createdAt = new Date(events[0]?.time ?? ctx.now());
      await (trx as unknown as Transaction<IdentityDatabase>)
        .insertInto('identity_api_keys')
        .values({
          id,
          org: principal.org,
          name: input.name,
          role: input.role,
          agent: input.agent ?? null,
          prefix: material.prefix,
          last4: material.last4,
          key_hash: material.hash,
          created_at: createdAt,
          created_by: principal.actor.id,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },
  });
  return {
    id,
    key: material.key,
    name: input.name,
    role: input.role,
    prefix: material.prefix,
    createdAt: createdAt.toISOString(),
  };
}

export async function listApiKeys(ctx: IdentityContext, org: string) {
  const rows = await ctx.db
    .selectFrom('identity_api_keys')
    .select([
      'id',
      'name',
      'role',
      'agent',
      'prefix',
      'last4',
      'created_at',
      'created_by',
      'last_used_at',
      'revoked_at',
    ])
    .where('org', '=', org)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role as ApiKeyRole,
    agent: r.agent,
    prefix: r.prefix,
    last4: r.last4,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }));
}

export async function revokeApiKey(ctx: IdentityContext, input: { principal: Principal; keyId: string }) {
  const { principal } = input;
  await committed(
    ctx,
    await handleApiKeyCommand({
      store: ctx.store,
      org: principal.org,
      actor: principal.actor,
      command: { type: 'revoke-api-key', keyId: input.keyId },
    }),
  );
}
