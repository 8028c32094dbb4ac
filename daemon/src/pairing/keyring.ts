import { isSea } from 'node:sea';

/** The slice of an OS secret store the daemon needs; injectable so tests never touch a real keyring. */
export interface KeyringBackend {
  get(): Promise<string | undefined>;
  set(secret: string): Promise<void>;
  delete(): Promise<void>;
}

export const KEYRING_SERVICE = 'proofpane-daemon';
const ACCOUNT = 'device';

/** Rejects after `ms` so a secret service that never answers (a stuck D-Bus) cannot hang the CLI. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

type Entry = {
  getPassword(signal?: AbortSignal): Promise<string | undefined>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deleteCredential(signal?: AbortSignal): Promise<boolean>;
};

/**
 * The OS keyring through @napi-rs/keyring (macOS Keychain, Windows Credential Manager, Secret Service on
 * Linux). Loaded lazily: a single executable without the native module simply falls back to the file store.
 */
export function osKeyring(timeoutMs = 3_000): KeyringBackend {
  let entry: Promise<Entry> | undefined;
  const open = () => {
    entry ??= isSea()
      ? Promise.reject(new Error('the single executable carries no keyring module'))
      : import('@napi-rs/keyring').then((m) => new m.AsyncEntry(KEYRING_SERVICE, ACCOUNT) as Entry);
    return entry;
  };
  const call = async <T>(what: string, fn: (e: Entry, signal: AbortSignal) => Promise<T>) => {
    const signal = AbortSignal.timeout(timeoutMs);
    return withDeadline(
      open().then((e) => fn(e, signal)),
      timeoutMs,
      `the OS keyring (${what})`,
    );
  };
  return {
    get: () => call('read', (e, signal) => e.getPassword(signal)),
    set: (secret) => call('write', (e, signal) => e.setPassword(secret, signal)),
    delete: async () => {
      await call('delete', (e, signal) => e.deleteCredential(signal));
    },
  };
}
