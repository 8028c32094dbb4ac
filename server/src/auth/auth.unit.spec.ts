import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-key-material.js';
import { loadJwtSecret } from './jwt-secret.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { issueSessionToken, verifySessionToken } from './tokens.js';

describe('password hashes', () => {
  it('verify the right password only, and name their parameters', async () => {
    const hash = await hashPassword({ password: 'tr0ub4dor&3', cost: 10 });
    expect(hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword({ password: 'tr0ub4dor&3', hash })).toBe(true);
    expect(await verifyPassword({ password: 'tr0ub4dor&4', hash })).toBe(false);
    expect(await verifyPassword({ password: 'tr0ub4dor&3', hash: hash.replace('ln=10', 'ln=11') })).toBe(
      false,
    );
    expect(await verifyPassword({ password: 'x', hash: 'bcrypt$whatever' })).toBe(false);
    expect(await hashPassword({ password: 'tr0ub4dor&3', cost: 10 })).not.toBe(hash);
  });
});

describe('API key material', () => {
  it('is a pp_ key whose prefix and last 4 come from it, stored as its SHA-256', () => {
    const a = generateApiKey();
    expect(a.key).toMatch(/^pp_[A-Za-z0-9_-]{43}$/);
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.key.endsWith(a.last4)).toBe(true);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiKey().key).not.toBe(a.key);
  });
});

describe('session tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-jwt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keep their secret in a 0600 file across restarts unless the environment gives one', () => {
    const first = loadJwtSecret({ secret: undefined, dataDir: dir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, 'keys', 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadJwtSecret({ secret: undefined, dataDir: dir }))).toEqual(Buffer.from(first));
    const fromEnv = loadJwtSecret({ secret: 'x'.repeat(40), dataDir: dir });
    expect(Buffer.from(fromEnv).toString()).toBe('x'.repeat(40));
  });

  it('carry user and org, and are refused once expired or under another secret', async () => {
    const secret = loadJwtSecret({ secret: undefined, dataDir: dir });
    const now = new Date('2026-03-01T00:00:00Z');
    const { token, expiresAt } = await issueSessionToken({
      secret,
      claims: { userId: 'usr_1', org: 'org_1' },
      ttlSeconds: 3600,
      now,
    });
    expect(expiresAt.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(await verifySessionToken({ secret, token, now })).toEqual({ userId: 'usr_1', org: 'org_1' });
    expect(await verifySessionToken({ secret, token, now: new Date('2026-03-01T01:00:01Z') })).toEqual({
      refused: 'the token has expired',
      expired: { userId: 'usr_1', org: 'org_1' },
    });
    const other = new TextEncoder().encode('y'.repeat(40));
    expect(await verifySessionToken({ secret: other, token, now })).toEqual({
      refused: 'the token is not valid',
    });
  });

  it('are refused without an expiry, even when signed with the real secret', async () => {
    const secret = loadJwtSecret({ secret: undefined, dataDir: dir });
    const now = new Date('2026-03-01T00:00:00Z');
    // Everything a real token carries except `exp`: such a token would otherwise never expire.
    const forever = await new SignJWT({ org: 'org_1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('usr_1')
      .setIssuer('proofpane')
      .setAudience('proofpane-api')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .sign(secret);
    expect(await verifySessionToken({ secret, token: forever, now })).toEqual({
      refused: 'the token has no expiry',
    });
  });
});
