import { errors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'proofpane';
const AUDIENCE = 'proofpane-api';

/** What a session token asserts: this user, acting in this org. The role is looked up on each request. */
export interface SessionClaims {
  userId: string;
  org: string;
}

export async function issueSessionToken(options: {
  secret: Uint8Array;
  claims: SessionClaims;
  ttlSeconds: number;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const expiresAt = now + options.ttlSeconds;
  const token = await new SignJWT({ org: options.claims.org })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(options.secret);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * Returns the claims, or a reason the token is refused (expired or without expiry, bad signature,
 * malformed). An expired token whose signature held also names its claims, so the refusal can be
 * audited in its org; a forged one names nothing.
 */
export async function verifySessionToken(options: {
  secret: Uint8Array;
  token: string;
  now?: Date;
}): Promise<SessionClaims | { refused: string; expired?: SessionClaims }> {
  try {
    const { payload } = await jwtVerify(options.token, options.secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      // jose checks `exp` only when present: a token signed without one would never expire.
      requiredClaims: ['exp'],
      ...(options.now ? { currentDate: options.now } : {}),
    });
    if (typeof payload.sub !== 'string' || typeof payload.org !== 'string')
      return { refused: 'the token names no user or org' };
    return { userId: payload.sub, org: payload.org };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      // jose checks the signature before any claim: an expired token's claims are ones this server signed.
      const { sub, org } = error.payload;
      return typeof sub === 'string' && typeof org === 'string'
        ? { refused: 'the token has expired', expired: { userId: sub, org } }
        : { refused: 'the token has expired' };
    }
    if (
      error instanceof errors.JWTClaimValidationFailed &&
      error.claim === 'exp' &&
      error.reason === 'missing'
    )
      return { refused: 'the token has no expiry' };
    return { refused: 'the token is not valid' };
  }
}
