import { handleOrgCommand, type Role, recordSigningKeyRotation } from '@proofpane/commands';
import pino from 'pino';
import { loadJwtSecret } from '../../auth/jwt-secret.js';
import type { Runtime } from '../../runtime/runtime.js';
import { committed, type IdentityContext } from '../context.js';
import { createMailer } from '../mail/mailer.js';
import { createOrgWithOwner, createUser } from '../service/accounts.js';
import { migrateIdentity } from '../tables/migrations.js';
import { orgById, userByEmail } from '../tables/queries.js';
import { identityDb } from '../tables/schema.js';

/** The identity context for the admin CLI: same tables and stream as the server, no mail. */
export async function adminContext(runtime: Runtime): Promise<IdentityContext> {
  await migrateIdentity(runtime.database.db);
  const log = pino({ level: 'silent' });
  return {
    db: identityDb(runtime.database.db),
    store: runtime.store,
    config: runtime.config,
    jwtSecret: loadJwtSecret({ secret: runtime.config.jwtSecret, dataDir: runtime.config.dataDir }),
    mailer: createMailer({ smtpUrl: undefined, from: runtime.config.mailFrom, log }),
    log,
    now: () => new Date(),
  };
}

export interface ChainReport {
  org: string;
  ok: boolean;
  checked: number;
  detail: string;
}

/** Recomputes every hash and link of the chosen chains; `{ ok: false }` names the first broken seq. */
export async function verifyChains(options: { runtime: Runtime; orgs: string[] }): Promise<ChainReport[]> {
  const reports: ChainReport[] = [];
  for (const org of options.orgs) {
    const result = await options.runtime.store.verifyChain({ org });
    reports.push(
      result.ok
        ? {
            org,
            ok: true,
            checked: result.checked,
            detail: `${result.checked} events, head ${result.head?.hash ?? '-'}`,
          }
        : {
            org,
            ok: false,
            checked: result.checked,
            detail: `broken at seq ${result.seq}: ${result.reason}`,
          },
    );
  }
  return reports;
}

/** Rotates the platform signing key and records it in the platform stream. */
export async function rotateSigningKey(options: { runtime: Runtime }) {
  const { runtime } = options;
  if (runtime.config.signingKeySeed)
    throw new Error('the signing key comes from PROOFPANE_SIGNING_KEY; rotate by changing that variable');
  const { retired, current } = runtime.keyring.rotate();
  await recordSigningKeyRotation({ store: runtime.store, retiredKeyId: retired, currentKeyId: current });
  return { retired, current };
}

export async function listOrgs(options: { runtime: Runtime }) {
  const ctx = await adminContext(options.runtime);
  return ctx.db
    .selectFrom('identity_orgs as o')
    .leftJoin('identity_memberships as m', 'm.org', 'o.id')
    .select((eb) => ['o.id', 'o.name', 'o.created_at', eb.fn.count<string>('m.user_id').as('members')])
    .groupBy(['o.id', 'o.name', 'o.created_at'])
    .orderBy('o.created_at')
    .execute();
}

/**
 * Creates an account and either a new org it owns (`orgName`) or a membership in an
 * existing org (`org`, `role`): the way in for the first user of a fresh install.
 */
export async function createUserFromCli(options: {
  runtime: Runtime;
  email: string;
  password: string;
  org?: string | undefined;
  orgName?: string | undefined;
  role: Role;
}) {
  const ctx = await adminContext(options.runtime);
  if (options.org && !(await orgById({ db: ctx.db, id: options.org })))
    throw new Error(`no organisation ${options.org}; see "proofpane orgs list"`);
  const existing = await userByEmail({ db: ctx.db, email: options.email.trim().toLowerCase() });
  const user = existing
    ? { id: existing.id, email: existing.email }
    : await createUser(ctx, {
        email: options.email,
        password: options.password,
        orgName: options.org ? (await orgById({ db: ctx.db, id: options.org }))?.name : options.orgName,
      });
  if (options.org) {
    await committed(
      ctx,
      await handleOrgCommand({
        store: ctx.store,
        org: options.org,
        actor: { kind: 'system', id: 'cli' },
        command: { type: 'add-member', userId: user.id, role: options.role, via: 'admin' },
      }),
    );
    return { user, org: { id: options.org }, created: !existing };
  }
  const org = await createOrgWithOwner(ctx, {
    name: options.orgName ?? `${user.email}'s organisation`,
    ownerUserId: user.id,
  });
  return { user, org, created: !existing };
}
