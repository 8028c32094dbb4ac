import { describe, expect, it } from 'vitest';
import { FakeHitlServer } from '../testing/fake-hitl-server.js';
import { fakeSafeStorage, memoryFile } from '../testing/fakes.js';
import { normaliseServerUrl } from './api-client.js';
import { DesktopError } from './errors.js';
import { daysUntilExpiry, pairWithCode } from './pairing.js';
import { TokenVault } from './token-vault.js';

function setup(safeStorage = fakeSafeStorage(), platform = 'linux') {
  const server = new FakeHitlServer();
  server.addOrg('org_acme', 'Acme');
  const file = memoryFile();
  const vault = new TokenVault({ safeStorage, platform, file });
  const pair = (code: string) =>
    pairWithCode({ vault, fetch: server.fetch, serverUrl: server.url, code, name: 'Laptop' });
  return { server, file, vault, pair };
}

const codeOf = (error: unknown) => (error instanceof DesktopError ? error.code : String(error));

describe('pairing', () => {
  it('exchanges a code for a token that is stored sealed, with its 90-day expiry', async () => {
    const { server, file, vault, pair } = setup();
    const account = await pair(server.pairingCode('org_acme'));
    expect(account).toMatchObject({ org: 'org_acme', orgName: 'Acme', serverUrl: server.url });
    expect(account.token).toMatch(/^ppa_/);
    expect(file.contents).not.toContain(account.token);
    expect(await vault.list()).toEqual([account]);
    expect(daysUntilExpiry(account.expiresAt, new Date())).toBe(90);
  });

  it('maps an unknown code to 404 and a spent one to 410', async () => {
    const { server, pair } = setup();
    await expect(pair('ZZZZ-0000').catch(codeOf)).resolves.toBe('pairing_code_unknown');
    const spent = server.pairingCode('org_acme', { spent: true });
    await expect(pair(spent).catch(codeOf)).resolves.toBe('pairing_code_spent');
  });

  it('refuses to pair on Linux without a keyring, before spending the single-use code', async () => {
    const { server, file, pair } = setup(fakeSafeStorage('basic_text'));
    const code = server.pairingCode('org_acme');
    const error = await pair(code).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('insecure_storage');
    expect((error as Error).message).toMatch(/keyring/);
    expect((error as Error).message).toMatch(/basic_text/);
    expect(server.codeSpent(code)).toBe(false);
    expect(file.contents).toBeNull();
  });

  it('refuses when the OS cannot encrypt at all', async () => {
    const { server, pair } = setup(fakeSafeStorage('unknown', false), 'win32');
    await expect(pair(server.pairingCode('org_acme')).catch(codeOf)).resolves.toBe('storage_unavailable');
  });

  it('accepts https, and http only for loopback', () => {
    expect(normaliseServerUrl('https://pp.example.com/base/')).toBe('https://pp.example.com/base');
    expect(normaliseServerUrl('http://localhost:3000')).toBe('http://localhost:3000');
    expect(() => normaliseServerUrl('http://pp.example.com')).toThrow(DesktopError);
    expect(() => normaliseServerUrl('not a url')).toThrow(DesktopError);
  });
});

describe('TokenVault', () => {
  const account = (org: string, token: string) => ({
    org,
    orgName: org.toUpperCase(),
    serverUrl: 'https://pp.example.com',
    approverId: `apr_${org}`,
    expiresAt: '2026-06-01T00:00:00Z',
    token,
  });

  it('keeps one token per org, replaces on re-pair and forgets on unpair', async () => {
    const file = memoryFile();
    const vault = new TokenVault({ safeStorage: fakeSafeStorage(), platform: 'linux', file });
    await vault.save(account('org_a', 'ppa_one'));
    await vault.save(account('org_b', 'ppa_two'));
    await vault.save(account('org_a', 'ppa_three'));
    expect((await vault.list()).map((a) => [a.org, a.token])).toEqual([
      ['org_b', 'ppa_two'],
      ['org_a', 'ppa_three'],
    ]);
    await vault.remove('org_b');
    expect((await vault.list()).map((a) => a.org)).toEqual(['org_a']);
    expect(file.contents).not.toMatch(/ppa_/);
  });

  it('will not read tokens back once the keyring is gone', async () => {
    const file = memoryFile();
    await new TokenVault({ safeStorage: fakeSafeStorage(), platform: 'linux', file }).save(
      account('org_a', 'ppa_x'),
    );
    const degraded = new TokenVault({ safeStorage: fakeSafeStorage('basic_text'), platform: 'linux', file });
    await expect(degraded.list().catch(codeOf)).resolves.toBe('insecure_storage');
  });

  it('applies the basic_text rule only on Linux, where the backend exists', async () => {
    const vault = new TokenVault({
      safeStorage: fakeSafeStorage('basic_text'),
      platform: 'darwin',
      file: memoryFile(),
    });
    await vault.save(account('org_a', 'ppa_mac'));
    expect((await vault.list())[0]?.token).toBe('ppa_mac');
  });
});
