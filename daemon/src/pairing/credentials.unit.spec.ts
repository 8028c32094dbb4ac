import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DeviceCredentials, loadCredentials, saveCredentials } from './credentials.js';
import { type KeyringBackend, withDeadline } from './keyring.js';

const creds: DeviceCredentials = {
  server: 'https://cloud.example',
  deviceId: 'dev_1',
  org: 'org_1',
  token: 'tok_1',
};

function memoryKeyring(): KeyringBackend & { value: string | undefined } {
  const k = {
    value: undefined as string | undefined,
    get: async () => k.value,
    set: async (secret: string) => {
      k.value = secret;
    },
    delete: async () => {
      k.value = undefined;
    },
  };
  return k;
}

const brokenKeyring: KeyringBackend = {
  get: () => Promise.reject(new Error('no secret service')),
  set: () => Promise.reject(new Error("Couldn't access platform storage: AccessDenied\nCaused by: ...")),
  delete: () => Promise.reject(new Error('no secret service')),
};

/** A keyring whose calls never settle, like a secret service that is registered but stuck. */
const hangingKeyring = (ms: number): KeyringBackend => {
  const never = new Promise<never>(() => {});
  return {
    get: () => withDeadline(never, ms, 'the OS keyring (read)'),
    set: () => withDeadline(never, ms, 'the OS keyring (write)'),
    delete: () => withDeadline(never, ms, 'the OS keyring (delete)'),
  };
};

describe('credential store', () => {
  let home: string;
  const warnings: string[] = [];
  const warn = (line: string) => warnings.push(line);
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'proofpane-creds-'));
    warnings.length = 0;
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('falls back to a 0600 file with a warning when the keyring fails', async () => {
    const dir = join(home, 'nested');
    const stored = await saveCredentials(creds, { home: dir, keyring: brokenKeyring, warn });
    expect(stored).toEqual({ where: 'file', path: join(dir, 'device.json') });
    expect((await stat(join(dir, 'device.json'))).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([
      `warning: the OS keyring is unavailable (Couldn't access platform storage: AccessDenied); storing the device token in ${join(dir, 'device.json')} (mode 0600)`,
    ]);
    expect(await loadCredentials({ home: dir, keyring: brokenKeyring, warn })).toEqual(creds);
  });

  it('falls back when the keyring hangs instead of waiting for it', async () => {
    const stored = await saveCredentials(creds, { home, keyring: hangingKeyring(50), warn });
    expect(stored.where).toBe('file');
    expect(warnings[0]).toContain('did not answer within 50 ms');
    expect(await loadCredentials({ home, keyring: hangingKeyring(50), warn })).toEqual(creds);
  });

  it('tightens the mode of an existing, too-open file', async () => {
    await writeFile(join(home, 'device.json'), '{}', { mode: 0o644 });
    await saveCredentials(creds, { home, keyring: null, warn });
    expect((await stat(join(home, 'device.json'))).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([]);
  });

  it('prefers a working keyring and removes a stale fallback file', async () => {
    await saveCredentials({ ...creds, token: 'old' }, { home, keyring: null, warn });
    const keyring = memoryKeyring();
    expect(await saveCredentials(creds, { home, keyring, warn })).toEqual({ where: 'keyring' });
    expect(JSON.parse(keyring.value!)).toEqual(creds);
    await expect(readFile(join(home, 'device.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await loadCredentials({ home, keyring, warn })).toEqual(creds);
  });

  it('reports an unpaired machine as undefined and a corrupt file as an error', async () => {
    expect(await loadCredentials({ home, keyring: null })).toBeUndefined();
    await writeFile(join(home, 'device.json'), '{"server":1}');
    await expect(loadCredentials({ home, keyring: null })).rejects.toThrow(
      'not a valid device credentials file',
    );
  });
});
