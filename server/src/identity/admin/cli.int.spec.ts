import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLATFORM_ORG } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from '../../cli.js';
import { loadConfig } from '../../config.js';
import { openRuntime } from '../../runtime/runtime.js';
import { identityTestEnv } from '../testing/identity-test-app.js';

for (const driver of testDrivers) {
  describe(`the admin CLI on ${driver}`, () => {
    let test: TestDatabase;
    let dataDir: string;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-cli-'));
    });
    afterAll(async () => {
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function run(args: string[], stdin = '') {
      let out = '';
      const program = createCli({
        openRuntime: (config) => openRuntime({ config, database: test.database }),
        env: { ...identityTestEnv, PROOFPANE_DATA_DIR: dataDir },
        out: (text) => {
          out += text;
        },
        readStdin: async () => stdin,
      });
      const capture = (command: Command) => {
        command.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
        command.commands.forEach(capture);
      };
      capture(program);
      try {
        await program.parseAsync(['node', 'proofpane', ...args]);
        return { out, error: undefined };
      } catch (error) {
        return { out, error: error instanceof Error ? error.message : String(error) };
      }
    }

    it('lists its commands in --help', async () => {
      const { out } = await run(['--help']);
      for (const command of ['serve', 'verify-chain', 'keys', 'orgs', 'users'])
        expect(out).toContain(command);
      const users = await run(['users', 'create', '--help']);
      expect(users.out).toContain('--password-stdin');
    });

    it('creates a first user owning a new org, then a member of it', async () => {
      const first = await run(['users', 'create', '--email', 'root@example.test', '--org-name', 'Acme']);
      expect(first.error).toBeUndefined();
      expect(first.out).toMatch(/^created user usr_\S+ <root@example.test> in org org_\S+\n/);
      expect(first.out).toMatch(/password \(shown once\): \S{20,}/);
      const org = /in org (org_\S+)/.exec(first.out)![1]!;

      const second = await run(
        [
          'users',
          'create',
          '--email',
          'ops@example.test',
          '--org',
          org,
          '--role',
          'admin',
          '--password-stdin',
        ],
        'ops password 1\n',
      );
      expect(second.out).toMatch(/^created user usr_\S+ <ops@example.test>/);
      expect(second.out).not.toContain('password');

      const orgs = await run(['orgs', 'list']);
      expect(orgs.out).toMatch(new RegExp(`${org}  Acme  members=2`));
    });

    it('explains bad input instead of failing obscurely', async () => {
      expect((await run(['users', 'create', '--email', 'nope', '--org-name', 'X'])).error).toMatch(
        /not an email address/,
      );
      expect((await run(['users', 'create', '--email', 'a@b.test', '--org', 'org_missing'])).error).toMatch(
        /no organisation org_missing/,
      );
      expect((await run(['users', 'create', '--email', 'a@b.test', '--role', 'boss'])).error).toMatch(
        /must be one of/,
      );
      expect(
        (await run(['users', 'create', '--email', 'a@b.test', '--password-stdin'], 'short\n')).error,
      ).toMatch(/at least 8/);
      expect(
        (await run(['users', 'create', '--email', 'a@b.test', '--password-stdin'], 'password\n')).error,
      ).toMatch(/too easy to guess: This is a heavily used password/);
      expect((await run(['verify-chain'])).error).toMatch(/--org <id> or --all/);
      expect((await run(['verify-chain', '--org', 'org_nowhere'])).error).toMatch(
        /no events for org org_nowhere/,
      );
    });

    it('verifies every chain', async () => {
      const { out, error } = await run(['verify-chain', '--all']);
      expect(error).toBeUndefined();
      expect(out).toMatch(new RegExp(`^ok +${PLATFORM_ORG}: \\d+ events`, 'm'));
      expect(out).toMatch(/^ok +org_\S+: 3 events/m);
      expect(out).not.toContain('BROKEN');
    });

    it('rotates the signing key and records the rotation in the platform stream', async () => {
      const before = await run(['keys', 'list']);
      expect(before.out.trim().split('\n')).toHaveLength(1);
      const rotated = await run(['keys', 'rotate']);
      const [, retired, current] = /rotated: (\S+) retired, (\S+) current/.exec(rotated.out)!;
      const after = await run(['keys', 'list']);
      expect(after.out).toMatch(new RegExp(`^${current}  current`, 'm'));
      expect(after.out).toMatch(new RegExp(`^${retired}  retired`, 'm'));
      const runtime = await openRuntime({
        config: loadConfig({ PROOFPANE_DATA_DIR: dataDir }),
        database: test.database,
      });
      const platform = await runtime.store.readOrg({ org: PLATFORM_ORG });
      await runtime.close();
      expect(platform.at(-1)).toMatchObject({
        type: 'cp.platform.signing-key.rotated',
        data: { retiredKeyId: retired, currentKeyId: current },
      });
    });

    it('names the first broken event of a tampered chain and exits 1', async () => {
      const orgs = await run(['orgs', 'list']);
      const org = /^(org_\S+)/m.exec(orgs.out)![1]!;
      await sql`ALTER TABLE events DISABLE TRIGGER events_no_change`.execute(test.database.db);
      await sql`UPDATE events SET body = replace(body, '"admin"', '"owner"') WHERE org = ${org} AND seq = 3`.execute(
        test.database.db,
      );
      await sql`ALTER TABLE events ENABLE TRIGGER events_no_change`.execute(test.database.db);
      try {
        const { out } = await run(['verify-chain', '--org', org]);
        expect(out).toMatch(new RegExp(`^BROKEN ${org}: broken at seq 3`, 'm'));
        expect(process.exitCode).toBe(1);
      } finally {
        process.exitCode = 0;
      }
    });
  });
}
