import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventEnvelope } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, type ScriptedReply, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';
import {
  specGit as git,
  greetRepository,
  type PairedDaemon,
  startPairedDaemon,
} from './testing/paired-daemon.js';

const usage = { input: 10, output: 5 };
const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({
  toolCalls: [{ name, arguments: args }],
  usage,
});

for (const driver of testDrivers) {
  describe(`Repo Coder on a paired daemon on ${driver}`, () => {
    let t: TestApp;
    let vendor: FakeVendor;
    let a: Account;
    let b: Account;
    let daemon: PairedDaemon;
    let root: string;
    let repo: string;
    let deviceId: string;

    beforeAll(async () => {
      vendor = await startFakeOpenAI();
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_ENGINE: 'off',
          OPENAI_API_KEY: 'sk-coder-device-spec',
          OPENAI_BASE_URL: `${vendor.url}/v1`,
          PROOFPANE_CODER_MODEL: 'openai/gpt-4o-mini',
          PROOFPANE_CODER_MAX_ITERATIONS: '6',
          PROOFPANE_CODER_RUN_TIMEOUT_MS: '5000',
        },
      });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      a = await registerAccount(t.app);
      b = await registerAccount(t.app);
      const code = (
        await t.app.inject({ method: 'POST', url: '/api/devices/pairing-codes', headers: auth(a.token) })
      ).json().code as string;
      daemon = await startPairedDaemon({
        server: base,
        code,
        isConnected: (id) => t.app.devices.hub.isConnected(id),
      });
      ({ deviceId, root } = daemon);
      repo = greetRepository(root);
    });
    afterAll(async () => {
      await daemon?.close();
      await t.dispose();
      await vendor.close();
    });

    const post = (token: string, url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: auth(token), payload });
    const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
    const runOn = async (id: string, ...replies: ScriptedReply[]) => {
      vendor.script(...replies);
      const res = await post(a.token, `/api/coder/sessions/${id}/run`);
      expect(res.statusCode, res.body).toBe(202);
      await t.app.coder.service.settled(id);
      const session = await get(a.token, `/api/coder/sessions/${id}`);
      expect(session.statusCode).toBe(200);
      return session.json();
    };
    const events = async (org: string) => (await t.runtime.store.readOrg({ org })) as EventEnvelope[];

    it('works in a worktree on the device, confined to it, and applies as a commit on its branch there', async () => {
      const created = await post(a.token, '/api/coder/sessions', {
        goal: 'Make greet.sh say hello, world',
        repo: { deviceId, path: 'calc' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect(created.json()).toMatchObject({
        mode: 'repo',
        status: 'awaiting_run',
        repo: 'calc',
        deviceId,
        branch: `proofpane/coder/${id}`,
      });
      // The list names the device too, so the console can show where each session works.
      const listed = (await get(a.token, '/api/coder/sessions')).json().sessions;
      expect(listed.find((s: { id: string }) => s.id === id)).toMatchObject({ deviceId, repo: 'calc' });
      // The worktree and its branch are on the device, beside the user's checkout, never in it.
      const tree = join(root, '.proofpane-coder', id);
      expect(readFileSync(join(tree, 'greet.sh'), 'utf8')).toBe('echo "hello"\n');
      expect(git(repo, 'branch', '--list', `proofpane/coder/${id}`)).toContain(`proofpane/coder/${id}`);

      const session = await runOn(
        id,
        call('read', { path: '../../calc/greet.sh' }),
        call('write', { path: 'greet.sh', content: 'echo "hello, world"\n' }),
        call('run', { command: 'sh test.sh && pwd' }),
        call('done', { summary: 'greet.sh says hello, world; the test passes.' }),
      );
      expect(session).toMatchObject({ status: 'finished', stop: 'done', iterations: 4, filesChanged: 1 });
      const calls = session.iterationLog.flatMap(
        (i: { toolCalls: { tool: string; status: string; code?: string }[] }) => i.toolCalls,
      );
      // A path that climbs out of the worktree is refused on the device, even though it is under its root.
      expect(calls[0]).toMatchObject({ tool: 'read', status: 'failed', code: 'path_outside_root' });
      expect(calls.slice(1).map((c: { status: string }) => c.status)).toEqual([
        'completed',
        'completed',
        'completed',
      ]);
      const third = JSON.stringify(vendor.requests.at(-1)!.body.messages);
      expect(third).toContain('TESTS-PASS');
      // The command ran in the worktree on the device.
      expect(third).toContain(`.proofpane-coder/${id}`);
      expect(session.diff).toContain('+echo "hello, world"');
      expect(readFileSync(join(repo, 'greet.sh'), 'utf8')).toBe('echo "hello"\n');
      expect(git(repo, 'status', '--porcelain')).toBe('');

      // Each step went through the governed device path under its own tool name, on the session's run.
      const log = await events(a.org);
      const called = log.filter((e) => e.type === 'cp.tool.called' && e.meta?.runId === session.runId);
      expect(called.map((e) => (e.data as { tool: string }).tool)).toEqual([
        'worktree',
        'read',
        'write',
        'bash',
        'worktree',
      ]);
      for (const e of called) expect(e.data).toMatchObject({ runtime: 'remote', deviceId });
      expect(JSON.stringify(log)).not.toContain(root);

      const applied = await post(a.token, `/api/coder/sessions/${id}/apply`);
      expect(applied.statusCode, applied.body).toBe(200);
      const commit = applied.json().commit as string;
      expect(commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git(repo, 'rev-parse', `proofpane/coder/${id}`).trim()).toBe(commit);
      expect(git(repo, 'show', `${commit}:greet.sh`)).toBe('echo "hello, world"\n');
      expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
      expect(existsSync(tree)).toBe(false);
    });

    it("holds the org's policy on bash on the device, and discards the worktree and the branch there", async () => {
      const created = await post(a.token, '/api/coder/sessions', {
        goal: 'Try something',
        repo: { deviceId, path: 'calc' },
      });
      const id = created.json().id as string;
      const policy = (tools: string[]) =>
        t.app.inject({ method: 'PUT', url: '/api/policy', headers: auth(a.token), payload: { tools } });
      // The model may name its four tools; the device path allows every tool but bash.
      expect((await policy(['read', 'write', 'run', 'done', 'worktree'])).statusCode).toBe(200);
      let session: Awaited<ReturnType<typeof runOn>>;
      try {
        session = await runOn(
          id,
          call('run', { command: 'touch ran.txt' }),
          call('write', { path: 'scratch.txt', content: 'scratch\n' }),
          call('done', { summary: 'a scratch file' }),
        );
      } finally {
        expect((await policy(['*'])).statusCode).toBe(200);
      }
      // The model's `run` is the device's `bash` to the policy, which allows only the other tools here.
      expect(session.iterationLog[0]?.toolCalls[0], JSON.stringify(session)).toMatchObject({
        tool: 'run',
        status: 'refused',
      });
      expect(existsSync(join(root, '.proofpane-coder', id, 'ran.txt'))).toBe(false);
      expect(session).toMatchObject({ status: 'finished', filesChanged: 1 });
      expect(session.diff).toContain('+scratch');
      const discarded = await post(a.token, `/api/coder/sessions/${id}/discard`);
      expect(discarded.statusCode, discarded.body).toBe(200);
      expect(existsSync(join(root, '.proofpane-coder', id))).toBe(false);
      expect(git(repo, 'branch', '--list', `proofpane/coder/${id}`)).toBe('');
      expect(git(repo, 'worktree', 'list')).not.toContain(id);
    });

    it("refuses a repository outside the daemon's root and another org's use of the device", async () => {
      const outside = await post(a.token, '/api/coder/sessions', {
        goal: 'Escape',
        repo: { deviceId, path: '../' },
      });
      expect(outside.statusCode).toBe(400);
      const notRepo = await post(a.token, '/api/coder/sessions', {
        goal: 'Not a repository',
        repo: { deviceId, path: 'nowhere' },
      });
      expect(notRepo.statusCode).toBe(422);
      expect(notRepo.json().code).toBe('coder_repo_invalid');

      const before = (await events(a.org)).length;
      const stolen = await post(b.token, '/api/coder/sessions', {
        goal: 'Use their device',
        repo: { deviceId, path: 'calc' },
      });
      expect(stolen.statusCode).toBe(404);
      expect(await events(b.org)).not.toContainEqual(
        expect.objectContaining({ type: 'cp.coder.session.created' }),
      );
      // Nothing reached the device or the owner's log.
      expect((await events(a.org)).length).toBe(before);
      expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    });
  });
}
