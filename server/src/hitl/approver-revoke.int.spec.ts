import { request as httpRequest } from 'node:http';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

/** Opens the HITL stream and resolves once the server has ended it. */
function openStream(url: string, token: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: auth(token) }, (res) => {
      expect(res.statusCode).toBe(200);
      const ended = new Promise<void>((done) => {
        res.on('close', () => done());
        res.on('error', () => done());
      });
      res.resume();
      resolve({ ended });
    });
    req.on('error', reject);
    req.end();
  });
}

for (const driver of testDrivers) {
  describe(`revoking a desktop approver on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let base: string;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      owner = await registerAccount(t.app);
    });
    afterAll(() => t.dispose());

    async function pair(name: string) {
      const code = (
        await t.app.inject({
          method: 'POST',
          url: '/api/hitl/approvers/pairing-codes',
          headers: auth(owner.token),
        })
      ).json().code as string;
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/hitl/approvers/pair',
        payload: { code, name },
      });
      expect(paired.statusCode).toBe(201);
      return paired.json() as { token: string; approverId: string };
    }
    const revoke = (id: string, credential: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/hitl/approvers/${id}`, headers: auth(credential) });
    const queue = (credential: string) =>
      t.app.inject({ method: 'GET', url: '/api/hitl', headers: auth(credential) });

    it('refuses the token at once, ends its open stream and records who revoked which approver', async () => {
      const approver = await pair('Desk of Grace');
      expect((await queue(approver.token)).statusCode).toBe(200);
      const stream = await openStream(`${base}/api/hitl/stream`, approver.token);

      const revoked = await revoke(approver.approverId, owner.token);
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({
        id: approver.approverId,
        name: 'Desk of Grace',
        revokedAt: expect.any(String),
      });
      await stream.ended;
      const refused = await queue(approver.token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('unauthenticated');
      const reopened = await t.app.inject({
        method: 'GET',
        url: '/api/hitl/stream',
        headers: auth(approver.token),
      });
      expect(reopened.statusCode).toBe(401);

      const again = await revoke(approver.approverId, owner.token);
      expect(again.statusCode).toBe(200);
      expect(again.json().revokedAt).toBe(revoked.json().revokedAt);
      const events = (await t.runtime.store.readOrg({ org: owner.org, fromSeq: 1, limit: 1_000 })).filter(
        (e) => e.type === 'cp.hitl.approver.revoked',
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        subject: `approver/${approver.approverId}`,
        actor: { kind: 'user', id: owner.userId },
        data: { approverId: approver.approverId, name: 'Desk of Grace' },
      });
      expect(JSON.stringify(events)).not.toContain(approver.token);
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/hitl/approvers',
        headers: auth(owner.token),
      });
      expect(listed.json().approvers).toContainEqual(
        expect.objectContaining({ id: approver.approverId, revokedAt: revoked.json().revokedAt }),
      );
    });

    it('lets neither a member, another org, nor an approver itself revoke', async () => {
      const approver = await pair('Kept desk');
      const member = await createKey(t.app, { token: owner.token, role: 'member', name: 'reader' });
      expect((await revoke(approver.approverId, member.key)).statusCode).toBe(403);
      const other = await registerAccount(t.app);
      const foreign = await revoke(approver.approverId, other.token);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().code).toBe('not_found');
      expect((await revoke(approver.approverId, approver.token)).statusCode).toBe(401);
      expect((await revoke('apr_unknown', owner.token)).statusCode).toBe(404);

      expect((await queue(approver.token)).statusCode).toBe(200);
      const events = await t.runtime.store.readOrg({ org: owner.org, fromSeq: 1, limit: 1_000 });
      expect(
        events.filter(
          (e) =>
            e.type === 'cp.hitl.approver.revoked' &&
            (e.data as { approverId: string }).approverId === approver.approverId,
        ),
      ).toEqual([]);
    });
  });
}
