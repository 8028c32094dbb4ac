import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const usage = { input: 10, output: 5 };
const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({
  toolCalls: [{ name, arguments: args }],
  usage,
});

/**
 * A stand-in for the Docker CLI (no engine runs where these specs run): `version` names an engine, `run`
 * records its arguments and refuses any container without the promised confinement; an accepted one runs
 * its command on the host in the bound folder, as the container would see it at /workspace.
 */
const standIn = (log: string) => `#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const [verb, ...args] = process.argv.slice(2);
if (verb === 'version') { console.log('27.0.0-stand-in'); process.exit(0); }
if (verb === 'rm') process.exit(0);
if (verb !== 'run') { console.error('stand-in: unknown verb ' + verb); process.exit(2); }
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const mounts = args.filter((a, i) => args[i - 1] === '--mount');
const refuse = (why) => { console.error('stand-in refused: ' + why); process.exit(125); };
if (!args.includes('--network=none')) refuse('network');
if (!args.includes('--read-only')) refuse('read-only root');
if (!args.includes('--cap-drop=ALL')) refuse('capabilities');
if (flag('--security-opt') !== 'no-new-privileges') refuse('privileges');
if (!/^[1-9][0-9]*:[0-9]+$/.test(flag('--user') || '')) refuse('user');
if (!args.includes('--rm') || !flag('--pids-limit') || !flag('--memory')) refuse('bounds');
if (mounts.length !== 1 || !mounts[0].endsWith(',target=/workspace')) refuse('mounts');
const source = mounts[0].slice('type=bind,source='.length, -',target=/workspace'.length);
const command = args.slice(args.indexOf('--stop-timeout') + 3);
if (command[0] !== 'timeout' || command[1] !== '--signal=KILL') refuse('timeout');
const mapped = command.map((a) => a === '/workspace' ? source : a.startsWith('/workspace/') ? source + a.slice(10) : a);
const ran = spawnSync(mapped[0], mapped.slice(1), { cwd: source, stdio: 'inherit', env: { PATH: process.env.PATH, HOME: '/tmp' } });
process.exit(ran.status === null ? 137 : ran.status);
`;

for (const driver of testDrivers) {
  describe(`Greenfield without bubblewrap runs in Docker on ${driver}`, () => {
    let t: TestApp;
    let vendor: FakeVendor;
    let a: Account;
    let dir: string;
    let log: string;
    const saved = {
      PATH: process.env.PATH,
      PROOFPANE_BWRAP: process.env.PROOFPANE_BWRAP,
      PROOFPANE_DOCKER: process.env.PROOFPANE_DOCKER,
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pp-docker-stand-in-'));
      log = join(dir, 'runs.jsonl');
      writeFileSync(log, '');
      writeFileSync(join(dir, 'docker'), standIn(log));
      chmodSync(join(dir, 'docker'), 0o755);
      writeFileSync(
        join(dir, 'no-engine'),
        '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n',
      );
      chmodSync(join(dir, 'no-engine'), 0o755);
      // No bubblewrap on this host; the stand-in is the first `docker` on the PATH.
      process.env.PROOFPANE_BWRAP = join(dir, 'no-bwrap');
      process.env.PATH = `${dir}:${saved.PATH}`;
      delete process.env.PROOFPANE_DOCKER;
      vendor = await startFakeOpenAI();
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_ENGINE: 'off',
          OPENAI_API_KEY: 'sk-coder-docker-spec',
          OPENAI_BASE_URL: `${vendor.url}/v1`,
          PROOFPANE_CODER_MODEL: 'openai/gpt-4o-mini',
          PROOFPANE_CODER_RUN_TIMEOUT_MS: '5000',
        },
      });
      a = await registerAccount(t.app);
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(a.token),
        payload: { hitl: { localTools: [] } },
      });
      expect(res.statusCode).toBe(200);
    });
    afterAll(async () => {
      await t.dispose();
      await vendor.close();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    const post = (url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: auth(a.token), payload });
    const runs = () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]);

    it('builds a project with its commands and git in the container, confined as decision 0048 says', async () => {
      const created = await post('/api/coder/sessions', { goal: 'A script that prints 42' });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect(created.json()).toMatchObject({ mode: 'greenfield', status: 'awaiting_run' });
      // The project's git index was made in the container.
      expect(runs().some((args) => args.includes('init'))).toBe(true);

      vendor.script(
        call('write', { path: 'answer.sh', content: 'echo 42\n' }),
        call('run', { command: 'sh answer.sh' }),
        call('done', { summary: 'answer.sh prints 42' }),
      );
      expect((await post(`/api/coder/sessions/${id}/run`)).statusCode).toBe(202);
      await t.app.coder.service.settled(id);
      const session = (
        await t.app.inject({ method: 'GET', url: `/api/coder/sessions/${id}`, headers: auth(a.token) })
      ).json();
      expect(session).toMatchObject({ status: 'finished', stop: 'done', filesChanged: 1 });
      expect(session.iterationLog[1].toolCalls[0]).toMatchObject({ tool: 'run', status: 'completed' });
      expect(JSON.stringify(vendor.requests.at(-1)!.body.messages)).toContain('42');
      expect(session.diff).toContain('+echo 42');

      const shell = runs().find((args) => args.at(-1) === 'sh answer.sh')!;
      expect(shell).toBeDefined();
      expect(shell.slice(-3)).toEqual(['/bin/sh', '-c', 'sh answer.sh']);
      const mount = shell[shell.indexOf('--mount') + 1]!;
      expect(mount).toMatch(new RegExp(`greenfield/${a.org}/${id},target=/workspace$`));
      // Every container the session started was confined: the stand-in refuses any other.
      for (const args of runs()) {
        expect(args).toContain('--network=none');
        expect(args).toContain('--read-only');
        expect(args[args.indexOf('--user') + 1]).not.toMatch(/^0:/);
      }

      const discarded = await post(`/api/coder/sessions/${id}/discard`);
      expect(discarded.statusCode).toBe(200);
      expect(existsSync(mount.replace(/^type=bind,source=/, '').replace(/,target=\/workspace$/, ''))).toBe(
        false,
      );
    });

    it('refuses a session, naming both sandboxes, when neither bubblewrap nor a Docker engine answers', async () => {
      process.env.PROOFPANE_DOCKER = join(dir, 'no-engine');
      try {
        const res = await post('/api/coder/sessions', { goal: 'Anything' });
        expect(res.statusCode).toBe(503);
        expect(res.json().code).toBe('coder_sandbox_unavailable');
        expect(res.json().detail).toMatch(/bubblewrap/);
        expect(res.json().detail).toMatch(/Docker/);
      } finally {
        delete process.env.PROOFPANE_DOCKER;
      }
    });
  });
}
