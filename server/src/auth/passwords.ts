import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const params = (cost: number) => ({ N: 2 ** cost, r: 8, p: 1, maxmem: 256 * 2 ** cost * 8 + 1024 * 1024 });

/**
 * scrypt from node:crypto (docs/decisions/0007-password-hashing-scrypt.md). The stored string
 * names its parameters, so raising the cost later still verifies older hashes.
 */
export async function hashPassword(options: { password: string; cost: number }): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(options.password, salt, params(options.cost));
  return `scrypt$ln=${options.cost},r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(options: { password: string; hash: string }): Promise<boolean> {
  const [scheme, settings, salt, key] = options.hash.split('$');
  const cost = Number(/^ln=(\d+),r=8,p=1$/.exec(settings ?? '')?.[1]);
  if (scheme !== 'scrypt' || !salt || !key || !Number.isInteger(cost)) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(options.password, Buffer.from(salt, 'base64'), params(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verifies against a throwaway hash so unknown addresses take as long as wrong passwords. */
export async function burnPasswordCheck(options: { password: string; cost: number }): Promise<void> {
  await derive(options.password, randomBytes(16), params(options.cost));
}
