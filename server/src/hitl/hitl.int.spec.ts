import { request as httpRequest } from 'node:http';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import { startHitlFeed } from './feed.js';
import { createHitlService } from './service.js';

/** Reads SSE messages from a real connection until `count` have arrived. */
function readSse(
  url: string,
  token: string,
  count: number,
): Promise<{ event: string; data: { id: string; status: string } }[]> {
  return new Promise((resolve, reject) => {
    const messages: { event: string; data: { id: string; status: string } }[] = [];
    const req = httpRequest(url, { headers: auth(token) }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) messages.push({ event, data: JSON.parse(data) });
          if (messages.length >= count) {
            req.destroy();
            resolve(messages);
            return;
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
    req.on('error', (error) => (messages.length >= count ? undefined : reject(error)));
    req.end();
  });
}

for (const driver of testDrivers) {
  describe(`human in the loop on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let base: string;
    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      owner = await registerAccount(t.app);
      const policy = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(owner.token),
        payload: { hitl: { tools: ['write', 'bash'], timeoutSeconds: 600 } },
      });
      expect(policy.statusCode).toBe(200);
    });
    afterAll(() => t.dispose());

    const call = (args: object, hitl?: string, tool = 'write') =>
      t.app.inject({
        method: 'POST',
        url: '/api/tools/call',
        headers: { ...auth(owner.token), ...(hitl ? { 'x-proofpane-hitl': hitl } : {}) },
        payload: { tool, args },
      });
    const resolve = (id: string, body: object, credential = owner.token) =>
      t.app.inject({
        method: 'POST',
        url: `/api/hitl/${id}/resolve`,
        headers: auth(credential),
        payload: body,
      });

    it('refuses with hitl_required, then lets the approved identical call through once', async () => {
      const args = { path: 'out/report.md', content: 'quarterly numbers' };
      const first = await call(args);
      expect(first.statusCode).toBe(403);
      expect(first.json()).toMatchObject({ code: 'hitl_required' });
      const id = first.json().hitlRequestId as string;
      const queue = (
        await t.app.inject({ method: 'GET', url: '/api/hitl?status=pending', headers: auth(owner.token) })
      ).json();
      expect(queue.requests).toEqual([
        expect.objectContaining({ id, kind: 'tool_call', risk: 'medium', status: 'pending' }),
      ]);
      expect((await call(args, id)).statusCode).toBe(403);

      expect((await resolve(id, { decision: 'approve', note: 'fine' })).json()).toMatchObject({
        status: 'approved',
        resolution: { decision: 'approve', auto: false, by: owner.userId },
      });
      expect((await resolve(id, { decision: 'deny' })).json()).toMatchObject({
        status: 409,
        code: 'already_resolved',
      });
      expect((await resolve('hitl_unknown', { decision: 'deny' })).statusCode).toBe(404);

      expect((await call(args, 'hitl_nonexistent')).json()).toMatchObject({
        status: 404,
        code: 'hitl_unknown',
      });
      const changed = await call({ ...args, content: 'other numbers' }, id);
      expect(changed.statusCode).toBe(403);
      expect(changed.json().code).toBe('hitl_mismatch');
      const approved = await call(args, id);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ ok: true });
      expect((await call(args, id)).json().code).toBe('hitl_used');
    });

    it('keeps a denied request denied, and denies by default at the deadline', async () => {
      const denied = (await call({ path: 'a.md', content: 'x' })).json().hitlRequestId as string;
      await resolve(denied, { decision: 'deny' });
      expect((await call({ path: 'a.md', content: 'x' }, denied)).json().code).toBe('hitl_denied');

      const late = (await call({ path: 'b.md', content: 'y' })).json().hitlRequestId as string;
      await sql`UPDATE hitl_requests SET expires_at = now() - interval '1 second' WHERE id = ${late}`.execute(
        t.runtime.database.db,
      );
      expect(await t.app.hitl.expireDue()).toBe(1);
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/hitl/${late}`, headers: auth(owner.token) })).json()
          .status,
      ).toBe('expired');
      expect((await resolve(late, { decision: 'approve' })).json()).toMatchObject({
        status: 409,
        code: 'already_resolved',
      });
      const events = await t.runtime.store.readSubject({ org: owner.org, subject: `hitl/${late}` });
      expect(events.map((e) => e.type)).toEqual(['cp.hitl.requested', 'cp.hitl.expired']);
    });

    it('releases a waiter once, also in a restarted process that rebuilt its state', async () => {
      const id = (await call({ path: 'c.md', content: 'z' })).json().hitlRequestId as string;
      const restarted = createHitlService({
        db: t.runtime.database.db,
        store: t.runtime.store,
        now: () => new Date(),
      });
      const feed = await startHitlFeed({ store: t.runtime.store, service: restarted, onError: () => {} });
      const waiting = restarted.waitFor({ org: owner.org, requestId: id });
      await resolve(id, { decision: 'approve' });
      expect(await waiting).toBe('approved');
      const afterwards = createHitlService({
        db: t.runtime.database.db,
        store: t.runtime.store,
        now: () => new Date(),
      });
      expect(await afterwards.waitFor({ org: owner.org, requestId: id })).toBe('approved');
      await feed.stop();
    });

    it('auto-approves by a remembered precedent, citing it, but never high-risk calls', async () => {
      const args = { path: 'docs/changelog.md', content: 'add release notes for version two' };
      const id = (await call(args)).json().hitlRequestId as string;
      await resolve(id, { decision: 'approve', remember: true });
      const again = await call({ path: 'docs/changelog.md', content: 'add release notes for version two' });
      expect(again.statusCode).toBe(200);
      const autos = (await t.runtime.store.readOrg({ org: owner.org, limit: 10_000 })).filter(
        (e) => e.type === 'cp.hitl.resolved' && (e.data as { auto: boolean }).auto,
      );
      expect(autos).toHaveLength(1);
      expect(autos[0]!.data).toMatchObject({
        decision: 'approve',
        precedents: [{ requestId: id, approvedBy: owner.userId }],
      });

      const shell = (await call({ command: 'ls docs' }, undefined, 'bash')).json().hitlRequestId as string;
      await resolve(shell, { decision: 'approve', remember: true });
      const shellAgain = await call({ command: 'ls docs' }, undefined, 'bash');
      expect(shellAgain.statusCode).toBe(403);
      expect(shellAgain.json().code).toBe('hitl_required');

      const revoke = await t.app.inject({
        method: 'DELETE',
        url: `/api/hitl/precedents/${id}`,
        headers: auth(owner.token),
      });
      expect(revoke.statusCode).toBe(204);
      expect((await call(args)).statusCode).toBe(403);
    });

    it('learns precedents that another process decided, from the event stream', async () => {
      const peer = createHitlService({
        db: t.runtime.database.db,
        store: t.runtime.store,
        now: () => new Date(),
      });
      const feed = await startHitlFeed({ store: t.runtime.store, service: peer, onError: () => {} });
      const ask = (service: typeof peer) =>
        service.request({
          org: owner.org,
          actor: { kind: 'user', id: owner.userId },
          kind: 'tool_call',
          target: 'tool/edit',
          args: { path: 'src/app.ts', old: 'a', new: 'b' },
          argsSha256: 'e'.repeat(64),
          summary: 'edit src/app.ts rename the helper function',
          reason: 'tool "edit" requires human approval',
          rulesMatched: ['hitl.tools'],
          dlp: {},
          timeoutSeconds: 600,
          autoApproveThreshold: 2.5,
        });
      expect((await ask(peer)).status).toBe('pending');
      const decided = await ask(t.app.hitl);
      await resolve(decided.requestId, { decision: 'approve', remember: true });
      let status = 'pending';
      for (let i = 0; i < 100 && status === 'pending'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await ask(peer)).status;
      }
      expect(status).toBe('approved');
      await feed.stop();
    });

    it('governs LLM calls too: hitl_required names the request; the approved identical call proceeds once', async () => {
      await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(owner.token),
        payload: { dlp: { EMAIL: 'hitl' }, hitl: { tools: ['write', 'bash'], timeoutSeconds: 600 } },
      });
      const body = {
        model: 'demo',
        messages: [{ role: 'user', content: 'write to ada@example.com about the launch' }],
      };
      const chat = (payload: object, hitl?: string) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: { ...auth(owner.token), ...(hitl ? { 'x-proofpane-hitl': hitl } : {}) },
          payload,
        });
      const refused = await chat(body);
      expect(refused.statusCode).toBe(403);
      const error = refused.json().error;
      expect(error.code).toBe('hitl_required');
      const id = error.hitl_request_id as string;
      const request = (
        await t.app.inject({ method: 'GET', url: `/api/hitl/${id}`, headers: auth(owner.token) })
      ).json();
      expect(request).toMatchObject({ kind: 'llm_call', target: 'llm/demo/demo', status: 'pending' });
      expect(request.summary).toContain('[EMAIL_1]');
      expect(request.summary).not.toContain('ada@example.com');
      await resolve(id, { decision: 'approve' });
      const other = await chat(
        { ...body, messages: [{ role: 'user', content: 'write to bob@example.com instead' }] },
        id,
      );
      expect(other.statusCode).toBe(403);
      const approved = await chat(body, id);
      expect(approved.statusCode).toBe(200);
      expect(approved.json().choices[0].message.content).toEqual(expect.any(String));
      expect((await chat(body, id)).statusCode).toBe(403);
      await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(owner.token),
        payload: { hitl: { tools: ['write', 'bash'], timeoutSeconds: 600 } },
      });
    });

    it('streams requests and resolutions over SSE, and pairs a desktop approver that may resolve', async () => {
      const stream = readSse(`${base}/api/hitl/stream`, owner.token, 2);
      await new Promise((r) => setTimeout(r, 100));
      const id = (await call({ path: 'd.md', content: 'w' })).json().hitlRequestId as string;

      const code = (
        await t.app.inject({
          method: 'POST',
          url: '/api/hitl/approvers/pairing-codes',
          headers: auth(owner.token),
        })
      ).json().code;
      const paired = await t.app.inject({
        method: 'POST',
        url: '/api/hitl/approvers/pair',
        payload: { code, name: 'desk' },
      });
      expect(paired.statusCode).toBe(201);
      const { token, org } = paired.json();
      expect(org).toBe(owner.org);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/hitl/approvers/pair',
            payload: { code, name: 'again' },
          })
        ).statusCode,
      ).toBe(410);
      expect((await resolve(id, { decision: 'approve' }, token)).statusCode).toBe(200);

      const messages = await stream;
      expect(messages).toEqual([
        { event: 'hitl.requested', data: expect.objectContaining({ id, status: 'pending' }) },
        { event: 'hitl.resolved', data: expect.objectContaining({ id, status: 'approved' }) },
      ]);
      const bogus = await t.app.inject({
        method: 'GET',
        url: '/api/hitl',
        headers: auth('ppa_notarealtokennotarealtoken'),
      });
      expect(bogus.statusCode).toBe(401);
    });

    it('lists the paired desktop approvers to admins, without tokens, and to no one else', async () => {
      const code = (
        await t.app.inject({
          method: 'POST',
          url: '/api/hitl/approvers/pairing-codes',
          headers: auth(owner.token),
        })
      ).json().code;
      const paired = (
        await t.app.inject({
          method: 'POST',
          url: '/api/hitl/approvers/pair',
          payload: { code, name: 'Laptop of Ada' },
        })
      ).json();
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/hitl/approvers',
        headers: auth(owner.token),
      });
      expect(listed.statusCode).toBe(200);
      const mine = listed.json().approvers.find((a: { id: string }) => a.id === paired.approverId);
      expect(mine).toEqual({
        id: paired.approverId,
        name: 'Laptop of Ada',
        createdAt: expect.any(String),
        expiresAt: paired.expiresAt,
        revokedAt: null,
      });
      expect(listed.body).not.toContain(paired.token);

      const member = await createKey(t.app, { token: owner.token, role: 'member', name: 'reader' });
      const asMember = await t.app.inject({
        method: 'GET',
        url: '/api/hitl/approvers',
        headers: auth(member.key),
      });
      expect(asMember.statusCode).toBe(403);
      const other = await registerAccount(t.app);
      const foreign = await t.app.inject({
        method: 'GET',
        url: '/api/hitl/approvers',
        headers: auth(other.token),
      });
      expect(foreign.json().approvers).toEqual([]);
    });
  });
}
