import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignedIn } from './session.svelte';
import { MemoryStorage } from './testing/memory-storage';

const KEY = 'proofpane.session';
const signedIn: SignedIn = {
  token: 'pps_abc',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: 'usr_1', email: 'ada@example.com' },
  org: { id: 'org_1', name: 'Acme' },
  role: 'admin',
};

let storage: MemoryStorage;

/** The store as a page load builds it, from what this browser's storage holds now. */
async function load() {
  vi.resetModules();
  return (await import('./session.svelte')).session;
}

beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
});
afterEach(() => vi.unstubAllGlobals());

describe('the session store', () => {
  it('keeps a sign-in across page loads', async () => {
    (await load()).set(signedIn);
    expect((await load()).current).toEqual(signedIn);
  });

  it('starts signed out when the stored session has expired, holds no token or is not JSON', async () => {
    storage.setItem(KEY, JSON.stringify({ ...signedIn, expiresAt: '2000-01-01T00:00:00.000Z' }));
    expect((await load()).current).toBeNull();
    storage.setItem(KEY, JSON.stringify({ ...signedIn, token: '' }));
    expect((await load()).current).toBeNull();
    storage.setItem(KEY, '{not json');
    expect((await load()).current).toBeNull();
  });

  it('keeps a session without an expiry, as an accepted invitation gives one', async () => {
    const { expiresAt: _, ...accepted } = signedIn;
    storage.setItem(KEY, JSON.stringify(accepted));
    expect((await load()).current?.token).toBe('pps_abc');
  });

  it('merges an update into the current session and stores it', async () => {
    const session = await load();
    session.set(signedIn);
    session.update({ role: 'member', org: { id: 'org_1', name: 'Acme Ltd' } });
    expect(session.current).toMatchObject({ token: 'pps_abc', role: 'member', org: { name: 'Acme Ltd' } });
    expect(JSON.parse(storage.getItem(KEY) ?? 'null')).toMatchObject({ role: 'member' });
  });

  it('ignores an update while signed out', async () => {
    const session = await load();
    session.update({ role: 'owner' });
    expect(session.current).toBeNull();
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('says why a session ended when it expires, and nothing when none was open', async () => {
    const session = await load();
    session.expire('the token expired');
    expect(session.notice).toBeNull();
    session.set(signedIn);
    session.expire('the token expired');
    expect(session.current).toBeNull();
    expect(session.notice).toBe('You were signed out: the token expired');
    expect(storage.getItem(KEY)).toBeNull();
    session.set(signedIn);
    expect(session.notice).toBeNull();
  });

  it('follows a sign-in or sign-out made in another window', async () => {
    const window = new EventTarget();
    vi.stubGlobal('window', window);
    const session = await load();
    storage.setItem(KEY, JSON.stringify(signedIn));
    window.dispatchEvent(Object.assign(new Event('storage'), { key: 'other.key' }));
    expect(session.current).toBeNull();
    window.dispatchEvent(Object.assign(new Event('storage'), { key: KEY }));
    expect(session.current?.token).toBe('pps_abc');
    storage.removeItem(KEY);
    window.dispatchEvent(Object.assign(new Event('storage'), { key: KEY }));
    expect(session.current).toBeNull();
  });
});
