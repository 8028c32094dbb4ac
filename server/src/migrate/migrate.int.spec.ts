import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { defaultProjections } from '@proofpane/projections';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { createCli } from '../cli.js';
import { loadConfig } from '../config.js';
import { auth, identityTestEnv, registerAccount } from '../identity/testing/identity-test-app.js';
import { openRuntime } from '../runtime/runtime.js';
import { migrateDeployment } from './migrate-deployment.js';
import { MIGRATION_SETS } from './migration-sets.js';

for (const driver of testDrivers) {
  describe(`proofpane migrate on ${driver}`, () => {
    let target: TestDatabase;
    let dataDir: string;
    const env = () => ({
      ...identityTestEnv,
      PROOFPANE_DATA_DIR: dataDir,
      PROOFPANE_PRICE_REFRESH: 'off',
      LOG_LEVEL: 'silent',
    });
    /** `proofpane migrate` in process; returns what it wrote to stderr. */
    const migrate = async () => {
      const lines: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
      try {
        await createCli({
          env: env(),
          openRuntime: (config) => openRuntime({ config, database: target.database }),
          out: () => {},
          readStdin: async () => '',
        }).parseAsync(['node', 'proofpane', 'migrate']);
      } finally {
        spy.mockRestore();
      }
      return lines.join('');
    };
    const tableExists = async (name: string) => {
      const { rows } = await sql<{
        present: boolean;
      }>`SELECT to_regclass(${name}) IS NOT NULL AS present`.execute(target.database.db);
      return rows[0]?.present === true;
    };

    beforeAll(async () => {
      target = await createTestDatabase(driver);
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-migrate-'));
    });
    afterAll(async () => {
      await target.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });
    afterEach(() => {
      process.exitCode = undefined;
    });

    it('creates the events table, every table group and every read model on an empty database', async () => {
      const output = await migrate();
      expect(process.exitCode ?? 0).toBe(0);
      expect(output).toContain('events: at 0001_events');
      for (const set of MIGRATION_SETS) {
        expect(await tableExists(set.table), set.table).toBe(true);
        expect(output).toMatch(new RegExp(`^${set.name}: applied `, 'm'));
      }
      for (const table of defaultProjections.flatMap((p) => p.tables))
        expect(await tableExists(table), table).toBe(true);
      expect(output).toMatch(/^migrated: \d+ migrations applied over \d+ table groups$/m);
    });

    it('applies nothing the second time', async () => {
      const output = await migrate();
      expect(process.exitCode ?? 0).toBe(0);
      for (const set of MIGRATION_SETS) expect(output).toContain(`${set.name}: up to date`);
      expect(output).toContain('migrated: 0 migrations applied');
    });

    it('leaves a database an api process (which migrates no read model) serves reads from', async () => {
      const runtime = await openRuntime({
        config: { ...loadConfig(env()), role: 'api' },
        database: target.database,
      });
      const app = await buildApp({ runtime, logger: false });
      try {
        await app.ready();
        const account = await registerAccount(app, { orgName: 'Migrated Org' });
        for (const url of ['/api/audit?limit=5', '/api/cost/summary', '/api/runs']) {
          const res = await app.inject({ method: 'GET', url, headers: auth(account.token) });
          expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
        }
      } finally {
        await app.close();
        await runtime.close();
      }
    });

    it('lists every table group a serving process migrates', async () => {
      const scratch = await createTestDatabase(driver);
      const runtime = await openRuntime({ config: loadConfig(env()), database: scratch.database });
      const app = await buildApp({ runtime, logger: false });
      try {
        await app.ready();
        const { rows } = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema()`.execute(scratch.database.db);
        const groups = rows.map((r) => r.name).filter((name) => name.endsWith('_migrations'));
        const listed = new Set(['core_migrations', ...MIGRATION_SETS.map((set) => set.table)]);
        expect(groups.filter((name) => !listed.has(name))).toEqual([]);
        expect(groups).toContain('coder_gate_migrations');
      } finally {
        await app.close();
        await runtime.close();
        await scratch.dispose();
      }
    });

    it('stops at the first failing group, keeps what ran and names the group', async () => {
      const ran: string[] = [];
      const outcome = await migrateDeployment({
        db: target.database.db,
        sets: [
          { name: 'first', table: 'identity_migrations', migrate: async () => void ran.push('first') },
          {
            name: 'broken',
            table: 'broken_migrations',
            migrate: async () => {
              throw new Error('no such column');
            },
          },
          { name: 'never', table: 'never_migrations', migrate: async () => void ran.push('never') },
        ],
      });
      expect(ran).toEqual(['first']);
      expect(outcome.results).toEqual([{ set: 'first', applied: [] }]);
      expect(outcome.error?.set).toBe('broken');
      expect(String(outcome.error?.cause)).toContain('no such column');
    });
  });
}

describe('proofpane migrate --help', () => {
  it('says what it migrates and what its exit codes mean', () => {
    const command = createCli().commands.find((c) => c.name() === 'migrate');
    const help = command?.helpInformation() ?? '';
    expect(help).toContain('read models');
    expect(help).toMatch(/Exit 0: migrated; 1: a migration failed.*2: bad configuration/s);
  });
});
