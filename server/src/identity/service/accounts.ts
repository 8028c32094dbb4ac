import { emailHash, handleOrgCommand, normaliseEmail, recordUserRegistered } from '@proofpane/commands';
import { newId } from '@proofpane/core';
import { passwordWeakness } from '../../auth/password-strength.js';
import { hashPassword } from '../../auth/passwords.js';
import { issueSessionToken } from '../../auth/tokens.js';
import { apiError } from '../../http/errors.js';
import type { IdentityContext } from '../context.js';
import { applyIdentityEvents } from '../tables/apply.js';
import { userByEmail } from '../tables/queries.js';
import type { IdentityDb } from '../tables/schema.js';

export interface UserView {
  id: string;
  email: string;
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

/**
 * 400 unless the password resists guessing; the one check every way of setting a password passes
 * through. `orgName` is the org the account is created for or joins: a password built from it is weak.
 */
export function requireStrongPassword(input: {
  password: string;
  email: string;
  orgName?: string | undefined;
}) {
  const weakness = passwordWeakness({ password: input.password, userInputs: [input.email, input.orgName] });
  if (weakness)
    throw apiError('validation_failed', `body.password: ${weakness}`, {
      errors: [{ field: 'body.password', message: weakness }],
    });
}

/**
 * A new account. The email and password hash are written first (the unique email claims
 * the address), then the platform stream records the account by id and email hash only.
 */
export async function createUser(
  ctx: IdentityContext,
  input: { email: string; password: string; orgName?: string | undefined },
): Promise<UserView> {
  const email = normaliseEmail(input.email);
  requireStrongPassword({ password: input.password, email, orgName: input.orgName });
  if (await userByEmail({ db: ctx.db, email }))
    throw apiError('conflict', 'an account with this email already exists; sign in instead');
  const id = newId('usr');
  const hash = emailHash(email);
  const passwordHash = await hashPassword({ password: input.password, cost: ctx.config.scryptCost });
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('identity_users').values({ id, email, email_hash: hash }).execute();
      await tx
        .insertInto('identity_credentials')
        .values({ user_id: id, password_hash: passwordHash })
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw apiError('conflict', 'an account with this email already exists');
    throw error;
  }
  await recordUserRegistered({ store: ctx.store, userId: id, emailHash: hash, actor: { kind: 'user', id } });
  return { id, email };
}

export async function createOrgWithOwner(
  ctx: IdentityContext,
  input: { name: string; ownerUserId: string },
): Promise<{ id: string; name: string }> {
  const org = newId('org');
  // The org and owner rows commit with their events: a refused row leaves no org in the log.
  await handleOrgCommand({
    store: ctx.store,
    org,
    actor: { kind: 'user', id: input.ownerUserId },
    command: { type: 'create-org', name: input.name, ownerUserId: input.ownerUserId },
    inline: (trx, events) => applyIdentityEvents({ db: trx as unknown as IdentityDb, events }),
  });
  return { id: org, name: input.name };
}

export async function sessionFor(ctx: IdentityContext, claims: { userId: string; org: string }) {
  return issueSessionToken({
    secret: ctx.jwtSecret,
    claims,
    ttlSeconds: ctx.config.tokenTtlSeconds,
    now: ctx.now(),
  });
}
