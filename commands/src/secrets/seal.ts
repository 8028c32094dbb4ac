import { createCipheriv, createDecipheriv, hash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Binds a ciphertext to its org and provider, so a row copied elsewhere fails to open. */
const aad = (org: string, provider: string) =>
  Buffer.from(`proofpane/provider-key\u0000${org}\u0000${provider}`);

/** AES-256-GCM with a random 96-bit nonce: `v1.<nonce>.<tag>.<ciphertext>`, each part base64url. */
export function sealSecret(options: {
  masterKey: Buffer;
  org: string;
  provider: string;
  plaintext: string;
}): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', options.masterKey, nonce);
  cipher.setAAD(aad(options.org, options.provider));
  const body = Buffer.concat([cipher.update(options.plaintext, 'utf8'), cipher.final()]);
  return [VERSION, nonce, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens what `sealSecret` produced; throws when the key, org, provider or bytes do not match. */
export function openSecret(options: {
  masterKey: Buffer;
  org: string;
  provider: string;
  sealed: string;
}): string {
  const [version, nonce, tag, body] = options.sealed.split('.');
  if (version !== VERSION || !nonce || !tag || body === undefined)
    throw new Error('unknown sealed secret format');
  const decipher = createDecipheriv('aes-256-gcm', options.masterKey, Buffer.from(nonce, 'base64url'));
  decipher.setAAD(aad(options.org, options.provider));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** Eight hex characters of the key's SHA-256: enough to tell keys apart, far too little to recover one. */
export const secretFingerprint = (plaintext: string): string => hash('sha256', plaintext, 'hex').slice(0, 8);
