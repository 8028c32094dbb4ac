import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQuotedPrintable, startSmtpInbox } from '../testing/smtp-inbox.js';
import type { TestApp } from '../testing/test-app.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
  strongTestPassword,
} from './testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`the invitation mail over SMTP on ${driver}`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpInbox>>;
    let owner: Account;
    beforeAll(async () => {
      smtp = await startSmtpInbox();
      t = await createIdentityTestApp({
        driver,
        env: {
          SMTP_URL: smtp.url,
          PROOFPANE_PUBLIC_URL: 'https://console.example',
          PROOFPANE_MAIL_FROM: 'pp@example.test',
        },
      });
      owner = await registerAccount(t.app, { orgName: 'Mailers' });
    });
    afterAll(async () => {
      await t.dispose();
      await smtp.close();
    });

    it('mails a single-use link that, followed, makes the invitee a member', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(owner.token),
        payload: { email: 'hana@example.test', role: 'admin' },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().delivery).toEqual({ method: 'smtp', sent: true });
      expect(res.body).not.toContain('#token=');

      expect(smtp.inbox).toHaveLength(1);
      const mail = smtp.inbox[0]!;
      expect(mail.to).toEqual(['hana@example.test']);
      expect(mail.from).toBe('pp@example.test');
      expect(mail.raw).toMatch(/Subject: You are invited to Mailers on Proofpane/);
      const link = /https:\/\/console\.example\/invitations\/accept#token=([A-Za-z0-9_-]+)/.exec(
        decodeQuotedPrintable(mail.raw),
      );
      expect(link).not.toBeNull();
      const token = link![1]!;

      const accepted = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: strongTestPassword },
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ role: 'admin', org: { id: owner.org } });
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: auth(accepted.json().token),
      });
      expect(me.json()).toMatchObject({ role: 'admin', user: { email: 'hana@example.test' } });

      const reused = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: strongTestPassword },
      });
      expect(reused.statusCode).toBe(410);
      expect(reused.json().code).toBe('invitation_used');
    });
  });
}
