import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class MasterKeyError extends Error {
  readonly code = 'invalid_master_key';
}

const decode = (text: string, where: string): Buffer => {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32)
    throw new MasterKeyError(`${where} must hold 32 bytes in base64 (it holds ${key.length})`);
  return key;
};

/**
 * The 32-byte key that wraps every org's provider keys: PROOFPANE_MASTER_KEY (base64) when set, otherwise
 * `<dataDir>/keys/master-key`, created once with mode 0600. Losing it makes the stored keys unreadable.
 */
export function loadMasterKey(options: { envValue?: string | undefined; dataDir: string }): Buffer {
  if (options.envValue) return decode(options.envValue, 'PROOFPANE_MASTER_KEY');
  const file = join(options.dataDir, 'keys', 'master-key');
  if (existsSync(file)) return decode(readFileSync(file, 'utf8'), file);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
