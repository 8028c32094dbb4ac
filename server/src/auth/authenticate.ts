import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../http/errors.js';
import { hashApiKey, isApiKey } from './api-key-material.js';
import { auditRefusedCredential, type RefusedCredential } from './credential-audit.js';
import type { IdentityPort } from './identity-port.js';
import type { Principal } from './principal.js';
import { verifySessionToken } from './tokens.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+)$/;

function refuse(reply: FastifyReply, detail: string): never {
  reply.header('www-authenticate', 'Bearer realm="proofpane"');
  throw apiError('unauthenticated', detail);
}

const TOUCH_EVERY_MS = 60_000;
/** When this process last recorded each key's use: `last_used_at` is minute-grained, so most calls skip the write. */
const touchedAt = new WeakMap<IdentityPort, Map<string, number>>();

async function touchOncePerMinute(ctx: IdentityPort, row: { org: string; id: string }) {
  const now = ctx.now();
  let touched = touchedAt.get(ctx);
  if (!touched) {
    touched = new Map();
    touchedAt.set(ctx, touched);
  }
  const last = touched.get(row.id);
  if (last !== undefined && now.getTime() - last < TOUCH_EVERY_MS) return;
  if (touched.size >= 100_000) touched.clear();
  touched.set(row.id, now.getTime());
  await ctx.touchApiKey(row, now);
}

const audit = (ctx: IdentityPort, org: string, refused: RefusedCredential) =>
  auditRefusedCredential({
    store: ctx.store,
    org,
    refused,
    now: ctx.now(),
    onError: (error) => ctx.log.error({ err: error }, 'auditing a refused credential failed'),
  });

async function fromApiKey(ctx: IdentityPort, key: string): Promise<Principal | undefined> {
  const hash = hashApiKey(key);
  const row = await ctx.activeApiKey(hash);
  if (!row) {
    // Only refusals pay for this second read; the cache never holds revoked keys.
    const revoked = await ctx.revokedApiKey(hash);
    if (revoked)
      await audit(ctx, revoked.org, { credential: 'api_key', reason: 'revoked', keyId: revoked.id });
    return undefined;
  }
  await touchOncePerMinute(ctx, row);
  return {
    org: row.org,
    actor: { kind: 'apikey', id: row.id },
    role: row.role,
    apiKeyId: row.id,
    ...(row.agent ? { agent: row.agent } : {}),
  };
}

/**
 * Resolves `Authorization: Bearer <session token | pp_ key>` to a principal. The role comes
 * from the membership table on every request, so a removal or demotion applies at once.
 */
export async function authenticate(options: {
  ctx: IdentityPort;
  request: FastifyRequest;
  reply: FastifyReply;
}): Promise<Principal> {
  const { ctx, request, reply } = options;
  const header = request.headers.authorization;
  if (!header) refuse(reply, 'send Authorization: Bearer <session token or pp_ API key>');
  const credential = BEARER.exec(header)?.[1];
  if (!credential) refuse(reply, 'the Authorization header must read "Bearer <credential>"');
  if (isApiKey(credential)) {
    const principal = await fromApiKey(ctx, credential);
    return principal ?? refuse(reply, 'the API key is unknown or revoked');
  }
  const claims = await verifySessionToken({ secret: ctx.jwtSecret, token: credential, now: ctx.now() });
  if ('refused' in claims) {
    if (claims.expired)
      await audit(ctx, claims.expired.org, {
        credential: 'session_token',
        reason: 'expired',
        userId: claims.expired.userId,
      });
    refuse(reply, claims.refused);
  }
  const role = await ctx.membershipRole({ org: claims.org, userId: claims.userId });
  if (!role) {
    await audit(ctx, claims.org, {
      credential: 'session_token',
      reason: 'not_member',
      userId: claims.userId,
    });
    refuse(reply, 'the token’s user is no longer a member of its organisation');
  }
  return { org: claims.org, actor: { kind: 'user', id: claims.userId }, role, userId: claims.userId };
}
