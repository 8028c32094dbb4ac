import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NewEvent, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { identityTestEnv } from '../identity/testing/identity-test-app.js';
import { openRuntime } from '../runtime/runtime.js';

const cli = fileURLToPath(new URL('./testing/proofpane-cli.ts', import.meta.url));
const ORG = 'org_dream_cli';
const SKILL = 'intake.classify_use_case';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

for (const driver of testDrivers) {
  describe(`proofpane dream as a child process on ${driver}`, () => {
    let test: TestDatabase | undefined;
    let dataDir: string;
    let env: NodeJS.ProcessEnv;

    const proofpane = (...args: string[]) =>
      new Promise<Finished>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });

    /** The org's log, read after the child has closed the database. */
    const orgEvents = async () => {
      const runtime = await openRuntime({ config: loadConfig(env) });
      try {
        return await runtime.store.readOrg({ org: ORG });
      } finally {
        await runtime.close();
      }
    };

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-dream-cli-'));
      env = { ...process.env, ...identityTestEnv, PROOFPANE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
      if (driver === 'postgres') {
        test = await createTestDatabase('postgres');
        env.DATABASE_URL = test.url;
      } else delete env.DATABASE_URL;
      // A run of the skill whose answer needed a repair: the signal a dream works from.
      const actor = { kind: 'system' as const, id: 'spec' };
      const subject = 'run/r_cli';
      const signals: NewEvent[] = [
        {
          type: 'cp.skill.invoked',
          subject,
          actor,
          data: {
            skillId: SKILL,
            skillVersion: '1.0.0',
            capsuleId: null,
            inputSha256: 'c'.repeat(64),
            provider: 'demo',
            model: 'demo',
          },
        },
        {
          type: 'cp.skill.output.rejected',
          subject,
          actor,
          data: { attempt: 1, requestId: 'req_cli', errors: ['/category: is required'] },
        },
      ];
      if (test) {
        const store = await PostgresEventStore.open({ database: test.database });
        await store.append({ org: ORG, events: signals });
        await store.close();
      } else {
        const runtime = await openRuntime({ config: loadConfig(env) });
        await runtime.store.append({ org: ORG, events: signals });
        await runtime.close();
      }
    }, 600_000);
    afterAll(async () => {
      await test?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    if (driver === 'pglite')
      it('explains itself, and refuses an unknown skill or an org with no events', async () => {
        const help = await proofpane('dream', '--help');
        expect(help.code).toBe(0);
        expect(help.stdout).toContain('--org <id>');
        expect(help.stdout).toContain('--skill <id>');
        const badSkill = await proofpane('dream', '--org', ORG, '--skill', 'intake.nothing');
        expect(badSkill.code).toBe(1);
        expect(badSkill.stderr).toContain('no evolvable skill "intake.nothing"');
        const noOrg = await proofpane('dream', '--org', 'org_nobody');
        expect(noOrg.code).toBe(1);
        expect(noOrg.stderr).toContain('org org_nobody has no events');
      }, 900_000);

    it('dreams for one skill only when asked, then for the org, proposing a gene that cites the signal', async () => {
      const other = await proofpane('dream', '--org', ORG, '--skill', 'intake.summarize_use_case');
      expect(other.code, other.stderr).toBe(0);
      expect(JSON.parse(other.stdout)).toMatchObject({ dreamt: true, signals: 0, proposed: 0 });

      const all = await proofpane('dream', '--org', ORG);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stderr).toContain(`dreaming for ${ORG}`);
      expect(all.stderr).toContain('1 genes proposed');
      expect(JSON.parse(all.stdout)).toMatchObject({ dreamt: true, skills: 1, signals: 1, proposed: 1 });

      const events = await orgEvents();
      const repaired = events.find((e) => e.type === 'cp.skill.output.rejected');
      const proposed = events.filter((e) => e.type === 'cp.evolution.gene.proposed');
      expect(proposed).toHaveLength(1);
      expect(proposed[0]?.data).toMatchObject({
        skill: SKILL,
        origin: 'dream',
        motivatingEventIds: [repaired?.id],
      });
      expect(events.filter((e) => e.type === 'cp.evolution.dream.completed')).toHaveLength(2);
    }, 900_000);
  });
}
