import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a consent screen may stay open before its state is refused. */
export const OAUTH_STATE_TTL_SECONDS = 600;

interface StatePayload {
  org: string;
  user: string;
  kind: string;
  exp: number;
  nonce: string;
}

const stateKey = (masterKey: Buffer) =>
  createHmac('sha256', masterKey).update('proofpane/integration-oauth-state').digest();

const mac = (masterKey: Buffer, body: string) =>
  createHmac('sha256', stateKey(masterKey)).update(body).digest('base64url');

/**
 * The OAuth `state` of a consent redirect (RFC 6749 §10.12): org, user, kind and expiry, MACed under a
 * key derived from the master key, so a callback is accepted only for the person and org that started it.
 */
export function issueOAuthState(options: {
  masterKey: Buffer;
  org: string;
  user: string;
  kind: string;
  nowSeconds: number;
}): string {
  const payload: StatePayload = {
    org: options.org,
    user: options.user,
    kind: options.kind,
    exp: options.nowSeconds + OAUTH_STATE_TTL_SECONDS,
    nonce: randomBytes(12).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(options.masterKey, body)}`;
}

/** True when the state was issued here, is unexpired and names this org, user and kind. */
export function verifyOAuthState(options: {
  masterKey: Buffer;
  state: string;
  org: string;
  user: string;
  kind: string;
  nowSeconds: number;
}): boolean {
  const [body, tag, extra] = options.state.split('.');
  if (!body || !tag || extra !== undefined) return false;
  const expected = Buffer.from(mac(options.masterKey, body));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  let payload: Partial<StatePayload>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<StatePayload>;
  } catch {
    return false;
  }
  return (
    payload.org === options.org &&
    payload.user === options.user &&
    payload.kind === options.kind &&
    typeof payload.exp === 'number' &&
    payload.exp >= options.nowSeconds
  );
}
