import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openRuntime } from '../runtime/runtime.js';
import { auth, identityTestEnv, strongTestPassword } from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`the log on ${driver}`, () => {
    const lines: string[] = [];
    let close: () => Promise<void>;
    let app: Awaited<ReturnType<typeof buildApp>>;
    beforeAll(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-logs-'));
      const test = await createTestDatabase(driver);
      const runtime = await openRuntime({
        config: loadConfig({ PROOFPANE_DATA_DIR: dataDir, ...identityTestEnv }),
        database: test.database,
      });
      app = await buildApp({
        runtime,
        logger: { level: 'trace' },
        logStream: { write: (line) => lines.push(line) },
      });
      await app.ready();
      close = async () => {
        await app.close();
        await runtime.close();
        await test.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      };
    });
    afterAll(() => close());

    it('holds no password, token or API key through sign-up, sign-in and key use', async () => {
      const password = 'a very secret password 42';
      const registered = await app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'logs@example.test', password, orgName: 'Logs' },
      });
      const token: string = registered.json().token;
      const wrongPassword = 'the wrong secret password';
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'logs@example.test', password: wrongPassword },
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'logs@example.test', password },
      });
      const loginToken: string = login.json().token;
      const key = await app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: auth(token),
        payload: { name: 'k' },
      });
      const apiKey: string = key.json().key;
      await app.inject({ method: 'GET', url: '/api/members', headers: auth(apiKey) });
      await app.inject({ method: 'GET', url: '/api/members', headers: auth(loginToken) });
      await app.inject({
        method: 'GET',
        url: '/api/members',
        headers: { 'x-api-key': apiKey, cookie: `session=${token}` },
      });

      const log = lines.join('');
      expect(lines.length).toBeGreaterThan(10);
      expect(log).toContain('/api/auth/login');
      for (const secret of [password, wrongPassword, token, loginToken, apiKey, apiKey.slice(3)])
        expect(log).not.toContain(secret);
    });

    it('holds no invitation token or link when no SMTP is set, only that the invitation went unmailed', async () => {
      const owner = await app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: 'inviter@example.test', password: strongTestPassword, orgName: 'Invites' },
      });
      const before = lines.length;
      const invited = await app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(owner.json().token),
        payload: { email: 'invitee@example.test' },
      });
      expect(invited.statusCode).toBe(201);
      // Without SMTP the inviting admin is the only way the link reaches the invitee.
      const { id, delivery } = invited.json();
      expect(delivery.method).toBe('log');
      const token = delivery.link.split('#token=')[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: strongTestPassword },
      });

      const log = lines.slice(before).join('');
      expect(log).toContain(id);
      expect(log).toMatch(/without mail/);
      for (const secret of [token, token.slice(0, 20), delivery.link, '#token='])
        expect(log).not.toContain(secret);
    });
  });
}
