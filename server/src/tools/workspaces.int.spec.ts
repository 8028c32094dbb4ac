import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, auth, registerAccount } from '../identity/testing/identity-test-app.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

/** Every encoding a key could leave in: raw text, base64, base64url, hex (and hex as `xxd -p` wraps it). */
function leakForms(secret: Buffer): string[] {
  const forms = [secret.toString('base64'), secret.toString('base64url'), secret.toString('hex')];
  const text = secret.toString('utf8').trim();
  if (text.length >= 16) forms.push(text);
  return forms.map((form) => form.slice(0, 24)).filter((form) => form.length >= 16);
}

describe('in-process tools: one sandboxed workspace per org', () => {
  let t: TestApp;
  let victim: Account;
  let attacker: Account;
  let secrets: string[];

  const call = (account: Account, tool: string, args: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/tools/call',
      headers: auth(account.token),
      payload: { tool, args },
    });
  const relax = async (account: Account) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/policy',
      headers: auth(account.token),
      payload: { hitl: { localTools: [] } },
    });
    expect(res.statusCode).toBe(200);
  };

  beforeAll(async () => {
    // No secrets from the environment: the server writes its JWT secret, master key and signing key
    // to `<dataDir>/keys`, the files an escape would go for.
    t = await createTestApp({
      driver: 'pglite',
      env: { PROOFPANE_SCRYPT_COST: '10', PROOFPANE_AUTH_RATE_LIMIT: '10000' },
    });
    victim = await registerAccount(t.app, { orgName: 'Victim' });
    attacker = await registerAccount(t.app, { orgName: 'Attacker' });
    const keysDir = join(t.config.dataDir, 'keys');
    const keyFiles = readdirSync(keysDir);
    expect(keyFiles.length).toBeGreaterThanOrEqual(2);
    secrets = keyFiles.flatMap((name) => leakForms(readFileSync(join(keysDir, name))));
  });
  afterAll(() => t.dispose());

  it("asks a person before a new org's in-process bash, write or edit runs", async () => {
    for (const [tool, args] of [
      ['bash', { command: 'echo hi' }],
      ['write', { path: 'a.txt', content: 'a' }],
      ['edit', { path: 'a.txt', old: 'a', new: 'b' }],
    ] as const) {
      const res = await call(victim, tool, args);
      expect(res.statusCode, tool).toBe(403);
      expect(res.json(), tool).toMatchObject({ code: 'hitl_required' });
    }
    const listed = await call(victim, 'list', { path: '.' });
    expect(listed.json()).toMatchObject({ ok: true });
  });

  it("keeps every org's files, and the server's keys, out of another org's reach", async () => {
    await relax(victim);
    await relax(attacker);
    const wrote = await call(victim, 'write', { path: 'b-notes.txt', content: 'victim-private-notes' });
    expect(wrote.json()).toMatchObject({ ok: true });
    const own = await call(victim, 'bash', { command: 'cat b-notes.txt; pwd' });
    expect(own.json()).toMatchObject({ ok: true, result: { stdout: 'victim-private-notes/workspace\n' } });

    const dataDir = t.config.dataDir;
    const escapes: [string, Record<string, unknown>][] = [
      ['bash', { command: 'cat ../keys/* 2>&1; cat ../../keys/* 2>&1' }],
      ['bash', { command: `cat ${dataDir}/keys/* 2>&1; ls -la ${dataDir} 2>&1` }],
      [
        'bash',
        { command: `find / -xdev -type f 2>/dev/null | grep -v '^/usr' | xargs cat 2>/dev/null | xxd -p` },
      ],
      ['bash', { command: 'cat /proc/1/environ /proc/self/environ 2>&1; env' }],
      ['bash', { command: 'cat ../*/b-notes.txt 2>&1; ls -la .. / 2>&1' }],
      ['bash', { command: `cat ${dataDir}/workspaces/${victim.org}/b-notes.txt 2>&1` }],
      ['read', { path: '../keys/jwt-secret' }],
      ['read', { path: join(dataDir, 'keys', 'master-key') }],
      ['read', { path: `../${victim.org}/b-notes.txt` }],
      ['read', { path: join(dataDir, 'workspaces', victim.org, 'b-notes.txt') }],
      ['grep', { pattern: 'victim-private', path: '..' }],
      ['grep', { pattern: '.', path: '../keys' }],
      ['glob', { pattern: '../**' }],
      ['list', { path: '..' }],
    ];
    for (const [tool, args] of escapes) {
      const res = await call(attacker, tool, args);
      const what = `${tool} ${JSON.stringify(args)}`;
      expect(res.statusCode, what).toBeLessThan(500);
      // The escapes really ran (in the sandbox), not refused before they could try.
      if (tool === 'bash') expect(res.json(), what).toMatchObject({ ok: true });
      expect(res.body, what).not.toContain('victim-private-notes');
      for (const secret of secrets) expect(res.body, what).not.toContain(secret);
    }
  });

  it("acts as an API key's bound agent, never as one a header names, and refuses agents the policy lacks", async () => {
    const policy = await t.app.inject({
      method: 'PUT',
      url: '/api/policy',
      headers: auth(victim.token),
      payload: {
        hitl: { localTools: [] },
        agents: { reader: { tools: ['list'] }, writer: { tools: ['*'] } },
      },
    });
    expect(policy.statusCode).toBe(200);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: auth(victim.token),
      payload: { name: 'reader key', role: 'member', agent: 'reader' },
    });
    const readerKey = created.json().key as string;
    const asKey = (headers: Record<string, string>, tool = 'list') =>
      t.app.inject({
        method: 'POST',
        url: '/api/tools/call',
        headers: { ...auth(readerKey), ...headers },
        payload: { tool, args: { path: '.' } },
      });
    expect((await asKey({})).json()).toMatchObject({ ok: true });
    expect((await asKey({ 'x-proofpane-agent': 'reader' })).json()).toMatchObject({ ok: true });
    expect((await asKey({}, 'glob')).json()).toMatchObject({ code: 'policy_blocked' });
    const escalated = await asKey({ 'x-proofpane-agent': 'writer' }, 'glob');
    expect(escalated.statusCode).toBe(400);
    expect(escalated.json().detail).toContain('bound to agent "reader"');

    const unknown = await call(victim, 'list', { path: '.' });
    expect(unknown.json()).toMatchObject({ ok: true });
    const ghost = await t.app.inject({
      method: 'POST',
      url: '/api/tools/call',
      headers: { ...auth(victim.token), 'x-proofpane-agent': 'ghost' },
      payload: { tool: 'list', args: { path: '.' } },
    });
    expect(ghost.statusCode).toBe(403);
    expect(ghost.json()).toMatchObject({
      code: 'policy_blocked',
      detail: expect.stringContaining('"ghost"'),
    });
  });
});
