import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { workspacesDir } from '../tools/runtime.js';
import { greetRepository, specGit } from './testing/paired-daemon.js';

const usage = { input: 10, output: 5 };
const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({
  toolCalls: [{ name, arguments: args }],
  usage,
});
const git = specGit;

for (const driver of testDrivers) {
  describe(`Repo Coder and Greenfield sessions over HTTP on ${driver}`, () => {
    let t: TestApp;
    let vendor: FakeVendor;
    let a: Account;
    let b: Account;
    let member: string;
    let orgDir: string;

    beforeAll(async () => {
      vendor = await startFakeOpenAI();
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_ENGINE: 'off',
          OPENAI_API_KEY: 'sk-coder-spec',
          OPENAI_BASE_URL: `${vendor.url}/v1`,
          PROOFPANE_CODER_MODEL: 'openai/gpt-4o-mini',
          PROOFPANE_CODER_MAX_ITERATIONS: '4',
          PROOFPANE_CODER_MAX_TOKENS: '1000',
          PROOFPANE_CODER_MAX_ACTIVE: '3',
          PROOFPANE_CODER_RUN_TIMEOUT_MS: '1500',
        },
      });
      a = await registerAccount(t.app);
      b = await registerAccount(t.app);
      for (const account of [a, b]) {
        const res = await t.app.inject({
          method: 'PUT',
          url: '/api/policy',
          headers: auth(account.token),
          payload: { hitl: { localTools: [] } },
        });
        expect(res.statusCode).toBe(200);
      }
      const invited = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(a.token),
        payload: { email: `member-${a.org}@coder.test`, role: 'member' },
      });
      const token = (invited.json().delivery.link as string).split('#token=')[1];
      const accepted = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: 'a member password' },
      });
      member = accepted.json().token;
      orgDir = join(workspacesDir(t.config), a.org);
      greetRepository(orgDir);
    });
    afterAll(async () => {
      await t.dispose();
      await vendor.close();
    });

    const post = (token: string, url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: auth(token), payload });
    const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
    const create = async (payload: { goal: string; repo?: string }, account = a) => {
      const res = await post(account.token, '/api/coder/sessions', payload);
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; runId: string; mode: string; status: string; branch: string | null };
    };
    /** Runs a session's loop on the scripted replies and returns the session as the route shows it. */
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

    it('changes a repository in a worktree on its own branch, runs its tests in the sandbox, and applies as a commit there', async () => {
      const repo = join(orgDir, 'calc');
      const created = await create({ goal: 'Make greet.sh say hello, world', repo: 'calc' });
      expect(created).toMatchObject({
        mode: 'repo',
        status: 'awaiting_run',
        branch: `proofpane/coder/${created.id}`,
      });
      // Creating it ran nothing: no model call, no tool call.
      expect(vendor.requests).toHaveLength(0);

      const session = await runOn(
        created.id,
        call('write', { path: 'greet.sh', content: 'echo "hello, world"\n' }),
        call('run', { command: 'sh test.sh' }),
        call('done', { summary: 'greet.sh now says hello, world; the test passes.' }),
      );
      expect(session).toMatchObject({
        status: 'finished',
        stop: 'done',
        iterations: 3,
        filesChanged: 1,
        tokens: 45,
        summary: 'greet.sh now says hello, world; the test passes.',
      });
      expect(
        session.iterationLog.map((i: { toolCalls: { tool: string; status: string }[] }) => i.toolCalls),
      ).toEqual([
        [expect.objectContaining({ tool: 'write', status: 'completed' })],
        [expect.objectContaining({ tool: 'run', status: 'completed' })],
        [expect.objectContaining({ tool: 'done', status: 'completed' })],
      ]);
      expect(session.diff).toContain('+echo "hello, world"');
      // The test ran inside the sandbox and its output went back to the model.
      const third = JSON.stringify(vendor.requests[2]!.body.messages);
      expect(third).toContain('TESTS-PASS');
      // The system prompt is META's base prompt (no capsule yet) and the tools are the four.
      const first = vendor.requests[0]!.body as {
        messages: { role: string; content: string }[];
        tools: { function: { name: string } }[];
      };
      expect(first.messages[0]).toMatchObject({ role: 'system' });
      expect(first.messages[0]!.content).toContain('You are the Repo Coder');
      expect(first.tools.map((tool) => tool.function.name)).toEqual(['read', 'write', 'run', 'done']);
      // The user's checkout is untouched.
      expect(readFileSync(join(repo, 'greet.sh'), 'utf8')).toBe('echo "hello"\n');
      expect(git(repo, 'status', '--porcelain')).toBe('');

      // Every model and tool call is on the session's run, which nests in the Agent Runs tree.
      const log = await events(a.org);
      const ofRun = log.filter((e) => e.meta?.runId === created.runId);
      expect(
        ofRun.filter((e) => e.type === 'cp.tool.called').map((e) => (e.data as { tool: string }).tool),
      ).toEqual(['write', 'bash']);
      expect(ofRun.filter((e) => e.type === 'cp.llm.call.completed')).toHaveLength(3);
      expect(
        log.find((e) => e.type === 'cp.run.started' && e.subject === `run/${created.runId}`)?.data,
      ).toMatchObject({
        kind: 'coder',
      });

      const applied = await post(a.token, `/api/coder/sessions/${created.id}/apply`);
      expect(applied.statusCode, applied.body).toBe(200);
      const commit = applied.json().commit as string;
      expect(commit).toMatch(/^[0-9a-f]{40}$/);
      expect(git(repo, 'rev-parse', `proofpane/coder/${created.id}`).trim()).toBe(commit);
      expect(git(repo, 'show', `${commit}:greet.sh`)).toBe('echo "hello, world"\n');
      expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
      expect(existsSync(join(orgDir, '.proofpane-coder', created.id))).toBe(false);
      expect(log.some((e) => e.type === 'cp.coder.session.applied')).toBe(false);
      expect((await events(a.org)).filter((e) => e.type === 'cp.coder.session.applied')).toHaveLength(1);
      // Applied is final.
      expect((await post(a.token, `/api/coder/sessions/${created.id}/discard`)).json().code).toBe(
        'coder_session_state',
      );
    });

    it('stops at the iteration limit and at the token limit, and discard removes the worktree and the branch', async () => {
      const repo = join(orgDir, 'calc');
      const looping = await create({ goal: 'Read forever', repo: 'calc' });
      const session = await runOn(
        looping.id,
        ...Array.from({ length: 4 }, () => call('read', { path: 'greet.sh' })),
      );
      expect(session).toMatchObject({ status: 'finished', stop: 'iteration_limit', iterations: 4 });

      const costly = await create({ goal: 'Spend tokens', repo: 'calc' });
      const spent = await runOn(costly.id, {
        toolCalls: [{ name: 'read', arguments: { path: 'test.sh' } }],
        usage: { input: 900, output: 200 },
      });
      expect(spent).toMatchObject({ status: 'finished', stop: 'token_limit', iterations: 1, tokens: 1100 });

      for (const id of [looping.id, costly.id]) {
        const res = await post(a.token, `/api/coder/sessions/${id}/discard`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().status).toBe('discarded');
        expect(existsSync(join(orgDir, '.proofpane-coder', id))).toBe(false);
        expect(git(repo, 'branch', '--list', `proofpane/coder/${id}`)).toBe('');
      }
      expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    });

    it('kills a command that hangs and refuses paths outside the worktree, symlinks included', async () => {
      const created = await create({ goal: 'Try to escape', repo: 'calc' });
      const tree = join(orgDir, '.proofpane-coder', created.id);
      symlinkSync('/etc', join(tree, 'etc-link'));
      const session = await runOn(
        created.id,
        call('run', { command: 'sleep 30' }),
        call('read', { path: '../../calc/greet.sh' }),
        call('read', { path: '/etc/hostname' }),
        call('read', { path: 'etc-link/hostname' }),
      );
      const results = session.iterationLog.map(
        (i: { toolCalls: { status: string; code?: string }[] }) => i.toolCalls[0],
      );
      expect(results).toEqual([
        expect.objectContaining({ status: 'failed', code: 'timeout' }),
        expect.objectContaining({ status: 'failed', code: 'path_outside_root' }),
        expect.objectContaining({ status: 'failed', code: 'path_outside_root' }),
        expect.objectContaining({ status: 'failed', code: 'path_outside_root' }),
      ]);
      expect((await post(a.token, `/api/coder/sessions/${created.id}/discard`)).statusCode).toBe(200);
    });

    it('takes repositories only from inside the org workspace', async () => {
      const outside = greetRepository(t.config.dataDir, 'outside-repo');
      symlinkSync(outside, join(orgDir, 'linked'));
      mkdirSync(join(orgDir, 'plain'), { recursive: true });
      for (const [repo, status, code] of [
        ['../outside-repo', 400, 'validation_failed'],
        ['/etc', 400, 'validation_failed'],
        ['linked', 422, 'coder_repo_invalid'],
        ['plain', 422, 'coder_repo_invalid'],
        ['missing', 422, 'coder_repo_invalid'],
        ['.proofpane-coder', 422, 'coder_repo_invalid'],
      ] as const) {
        const res = await post(a.token, '/api/coder/sessions', { goal: 'x', repo });
        expect([repo, res.statusCode, res.json().code]).toEqual([repo, status, code]);
      }
      const nul = await post(a.token, '/api/coder/sessions', { goal: 'a\u0000b' });
      expect(nul.statusCode).toBe(400);
    });

    it('lets members create and read but only admins run, apply and discard; other orgs see nothing', async () => {
      const created = await create({ goal: 'A member asks', repo: 'calc' }, { ...a, token: member });
      expect((await post(member, `/api/coder/sessions/${created.id}/run`)).statusCode).toBe(403);
      expect((await post(member, `/api/coder/sessions/${created.id}/discard`)).statusCode).toBe(403);
      expect((await get(member, `/api/coder/sessions/${created.id}`)).statusCode).toBe(200);
      const foreign = await get(b.token, `/api/coder/sessions/${created.id}`);
      expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'coder_session_not_found']);
      expect((await post(b.token, `/api/coder/sessions/${created.id}/discard`)).statusCode).toBe(404);
      expect((await get(b.token, '/api/coder/sessions')).json().sessions).toEqual([]);
      const listed = (await get(a.token, '/api/coder/sessions'))
        .json()
        .sessions.map((s: { id: string }) => s.id);
      expect(listed).toContain(created.id);
      expect((await post(a.token, `/api/coder/sessions/${created.id}/discard`)).statusCode).toBe(200);
    });

    it('holds an org to its limit of active sessions', async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await create({ goal: `Project ${i}` }, b)).id);
      const over = await post(b.token, '/api/coder/sessions', { goal: 'One more' });
      expect([over.statusCode, over.json().code]).toEqual([429, 'coder_session_limit']);
      expect((await post(b.token, `/api/coder/sessions/${ids[0]}/discard`)).statusCode).toBe(200);
      const again = await post(b.token, '/api/coder/sessions', { goal: 'One more' });
      expect(again.statusCode).toBe(201);
      for (const id of [...ids.slice(1), again.json().id])
        expect((await post(b.token, `/api/coder/sessions/${id}/discard`)).statusCode).toBe(200);
    });

    it('builds a greenfield project without network, approves it as a tarball and discard leaves nothing', async () => {
      let reached = 0;
      const server = createServer((_req, res) => {
        reached++;
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const created = await create({ goal: 'A tiny CLI that prints its version' });
        expect(created).toMatchObject({ mode: 'greenfield', branch: null });
        const probe = `node -e "require('http').get('http://127.0.0.1:${port}', () => console.log('REACHED')).on('error', (e) => console.log('NET-ERR', e.code))"`;
        const session = await runOn(
          created.id,
          call('write', { path: 'cli.sh', content: 'echo "tiny 1.0.0"\n' }),
          call('run', { command: probe }),
          call('run', { command: 'sh cli.sh' }),
          call('done', { summary: 'A one-line CLI.' }),
        );
        expect(session).toMatchObject({ mode: 'greenfield', stop: 'done', filesChanged: 1 });
        const toolSaid = (request: number) =>
          (vendor.requests.at(request)!.body.messages as { role: string; content: string }[])
            .filter((m) => m.role === 'tool')
            .at(-1)!.content;
        expect(toolSaid(-2)).toContain('NET-ERR');
        expect(toolSaid(-2)).not.toContain('REACHED');
        expect(reached).toBe(0);
        expect(toolSaid(-1)).toContain('tiny 1.0.0');

        const applied = await post(a.token, `/api/coder/sessions/${created.id}/apply`);
        expect(applied.statusCode, applied.body).toBe(200);
        const sha = applied.json().artifactSha256 as string;
        expect(sha).toMatch(/^[0-9a-f]{64}$/);
        const download = await get(a.token, `/api/coder/sessions/${created.id}/artifact`);
        expect(download.statusCode).toBe(200);
        const { createHash } = await import('node:crypto');
        expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(sha);
        const listing = execFileSync('tar', ['-tzf', '-'], { input: download.rawPayload, encoding: 'utf8' });
        expect(listing).toContain('cli.sh');
        expect(listing).not.toContain('.git/');
        expect((await get(b.token, `/api/coder/sessions/${created.id}/artifact`)).statusCode).toBe(404);

        const dropped = await create({ goal: 'Something to throw away' });
        await runOn(
          dropped.id,
          call('write', { path: 'junk.txt', content: 'junk' }),
          call('done', { summary: 'x' }),
        );
        const dir = join(t.config.dataDir, 'greenfield', a.org, dropped.id);
        expect(existsSync(join(dir, 'junk.txt'))).toBe(true);
        expect((await post(a.token, `/api/coder/sessions/${dropped.id}/discard`)).statusCode).toBe(200);
        expect(existsSync(dir)).toBe(false);
      } finally {
        server.close();
      }
    });
  });
}
