import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey, MasterKeyError, openSecret, sealSecret, secretFingerprint } from './index.js';

const key = Buffer.alloc(32, 7);

describe('provider key sealing', () => {
  it('round-trips and hides the plaintext', () => {
    const sealed = sealSecret({
      masterKey: key,
      org: 'org_a',
      provider: 'openai',
      plaintext: 'sk-live-123456',
    });
    expect(sealed).not.toContain('sk-live');
    expect(sealed).toMatch(/^v1\./);
    expect(openSecret({ masterKey: key, org: 'org_a', provider: 'openai', sealed })).toBe('sk-live-123456');
  });

  it('refuses to open under another org, provider or master key, or when tampered with', () => {
    const sealed = sealSecret({
      masterKey: key,
      org: 'org_a',
      provider: 'openai',
      plaintext: 'sk-live-123456',
    });
    expect(() => openSecret({ masterKey: key, org: 'org_b', provider: 'openai', sealed })).toThrow();
    expect(() => openSecret({ masterKey: key, org: 'org_a', provider: 'anthropic', sealed })).toThrow();
    expect(() =>
      openSecret({ masterKey: Buffer.alloc(32, 8), org: 'org_a', provider: 'openai', sealed }),
    ).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() =>
      openSecret({ masterKey: key, org: 'org_a', provider: 'openai', sealed: parts.join('.') }),
    ).toThrow();
  });

  it('fingerprints with eight hex characters', () => {
    expect(secretFingerprint('sk-live-123456')).toMatch(/^[0-9a-f]{8}$/);
    expect(secretFingerprint('a')).not.toBe(secretFingerprint('b'));
  });
});

describe('master key', () => {
  it('is created once in the data dir with mode 0600 and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-master-'));
    try {
      const first = loadMasterKey({ dataDir: dir });
      const file = join(dir, 'keys', 'master-key');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first).toHaveLength(32);
      expect(loadMasterKey({ dataDir: dir }).equals(first)).toBe(true);
      expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes PROOFPANE_MASTER_KEY when set and rejects a wrong length', () => {
    const env = Buffer.alloc(32, 1).toString('base64');
    expect(loadMasterKey({ envValue: env, dataDir: '/nonexistent' }).equals(Buffer.alloc(32, 1))).toBe(true);
    expect(() => loadMasterKey({ envValue: 'c2hvcnQ=', dataDir: '/nonexistent' })).toThrow(MasterKeyError);
  });
});
