import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The HS256 secret that signs session tokens: PROOFPANE_JWT_SECRET, or one created on the
 * first start in `<dataDir>/keys/jwt-secret` (mode 0600) so restarts keep sessions valid.
 */
export function loadJwtSecret(options: { secret: string | undefined; dataDir: string }): Uint8Array {
  if (options.secret) return new TextEncoder().encode(options.secret);
  const file = join(options.dataDir, 'keys', 'jwt-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(join(options.dataDir, 'keys'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${secret.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return secret;
}
