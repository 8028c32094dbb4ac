import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type KeyringBackend, osKeyring } from './keyring.js';

/** What pairing yields and every later command needs: which cloud, which device, and its bearer token. */
export const deviceCredentials = z.object({
  server: z.string().url(),
  deviceId: z.string().min(1),
  org: z.string().min(1),
  token: z.string().min(1),
});

export type DeviceCredentials = z.infer<typeof deviceCredentials>;

export interface CredentialStoreOptions {
  /** Directory of the fallback file; default `$PROOFPANE_DAEMON_HOME`, else `~/.config/proofpane`. */
  home?: string;
  /** The keyring to try first; `null` skips it (also when `PROOFPANE_DAEMON_KEYRING=off`). */
  keyring?: KeyringBackend | null;
  warn?: (line: string) => void;
}

export type StoredWhere = { where: 'keyring' } | { where: 'file'; path: string };

const FILE_NAME = 'device.json';

export function daemonHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PROOFPANE_DAEMON_HOME || join(homedir(), '.config', 'proofpane');
}

function resolveOptions(options: CredentialStoreOptions) {
  const home = options.home ?? daemonHome();
  const keyring =
    options.keyring === undefined
      ? process.env.PROOFPANE_DAEMON_KEYRING === 'off'
        ? null
        : osKeyring()
      : options.keyring;
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  return { file: join(home, FILE_NAME), home, keyring, warn };
}

const reason = (err: unknown) => (err instanceof Error ? err.message.split('\n')[0] : String(err));

/**
 * Stores the device credentials in the OS keyring, or, when no keyring answers, in a 0600 file in a 0700
 * directory with a warning: a headless server has no secret service, and pairing must still work there.
 */
export async function saveCredentials(
  creds: DeviceCredentials,
  options: CredentialStoreOptions = {},
): Promise<StoredWhere> {
  const { file, home, keyring, warn } = resolveOptions(options);
  const json = JSON.stringify(deviceCredentials.parse(creds));
  if (keyring) {
    try {
      await keyring.set(json);
      await rm(file, { force: true });
      return { where: 'keyring' };
    } catch (err) {
      warn(
        `warning: the OS keyring is unavailable (${reason(err)}); storing the device token in ${file} (mode 0600)`,
      );
    }
  }
  await mkdir(home, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${json}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return { where: 'file', path: file };
}

/** Reads the stored pairing: keyring first, then the fallback file; `undefined` when this machine is not paired. */
export async function loadCredentials(
  options: CredentialStoreOptions = {},
): Promise<DeviceCredentials | undefined> {
  const { file, keyring } = resolveOptions(options);
  if (keyring) {
    const secret = await keyring.get().catch(() => undefined);
    const parsed = secret ? deviceCredentials.safeParse(safeJson(secret)) : undefined;
    if (parsed?.success) return parsed.data;
  }
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const parsed = deviceCredentials.safeParse(safeJson(text));
  if (!parsed.success) throw new Error(`${file} is not a valid device credentials file; pair again`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
