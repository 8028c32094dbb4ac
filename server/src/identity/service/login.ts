import { emailHash, normaliseEmail, recordLoginFailure } from '@proofpane/commands';
import { burnPasswordCheck, verifyPassword } from '../../auth/passwords.js';
import { apiError } from '../../http/errors.js';
import type { IdentityContext } from '../context.js';
import { orgsOfUser, userByEmail } from '../tables/queries.js';
import { sessionFor } from './accounts.js';

const WRONG = 'the email or the password is wrong';

/**
 * Signs a user in to `org`, or to the first org they joined. Unknown addresses and wrong
 * passwords get the same answer, after the same work; each failure is an audit event.
 */
export async function login(
  ctx: IdentityContext,
  input: { email: string; password: string; org?: string | undefined },
) {
  const email = normaliseEmail(input.email);
  const hash = emailHash(email);
  const user = await userByEmail({ db: ctx.db, email });
  const system = { kind: 'system' as const, id: 'auth' };
  if (!user?.password_hash) {
    await burnPasswordCheck({ password: input.password, cost: ctx.config.scryptCost });
    await recordLoginFailure({
      store: ctx.store,
      actor: system,
      orgs: [],
      emailHash: hash,
      reason: 'unknown_user',
    });
    throw apiError('unauthenticated', WRONG);
  }
  const orgs = await orgsOfUser({ db: ctx.db, userId: user.id });
  const memberOf = orgs.map((o) => o.id);
  if (!(await verifyPassword({ password: input.password, hash: user.password_hash }))) {
    await recordLoginFailure({
      store: ctx.store,
      actor: { kind: 'user', id: user.id },
      orgs: memberOf,
      emailHash: hash,
      reason: 'wrong_password',
      userId: user.id,
    });
    throw apiError('unauthenticated', WRONG);
  }
  const org = input.org ? orgs.find((o) => o.id === input.org) : orgs[0];
  if (!org) {
    await recordLoginFailure({
      store: ctx.store,
      actor: { kind: 'user', id: user.id },
      orgs: memberOf,
      emailHash: hash,
      reason: 'no_membership',
      userId: user.id,
    });
    throw apiError(
      'forbidden',
      input.org ? 'you are not a member of that organisation' : 'you belong to no organisation',
    );
  }
  const session = await sessionFor(ctx, { userId: user.id, org: org.id });
  return { ...session, user: { id: user.id, email: user.email }, org };
}
