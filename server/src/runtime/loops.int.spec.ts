import { type Database, openDatabase } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopDefinition, LoopRegistry } from './loops.js';
import { parseRole, roleRuns } from './roles.js';

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A loop that only records whether it runs. */
function probeLoop(
  name: string,
  scope: LoopDefinition['scope'],
  running: Set<string>,
  who: string,
): LoopDefinition {
  return {
    name,
    duty: 'worker',
    scope,
    start: () => {
      running.add(who);
      return { stop: () => void running.delete(who) };
    },
  };
}

describe('process roles', () => {
  it('reads all, one duty or a comma list, and refuses anything else', () => {
    expect(parseRole('all')).toBe('all');
    expect(parseRole('projector, worker')).toBe('projector,worker');
    expect(parseRole('api,api')).toBeUndefined();
    expect(parseRole('web')).toBeUndefined();
    expect(roleRuns('projector,worker', 'worker')).toBe(true);
    expect(roleRuns('projector,worker', 'api')).toBe(false);
    expect(roleRuns('all', 'api')).toBe(true);
  });
});

for (const driver of testDrivers) {
  describe(`background loops by role and lease on ${driver}`, () => {
    let test: TestDatabase;
    const extra: Database[] = [];
    beforeAll(async () => {
      test = await createTestDatabase(driver);
    });
    afterAll(async () => {
      for (const database of extra) await database.close();
      await test.dispose();
    });

    const registry = (role: string, database: Database) =>
      new LoopRegistry({
        role,
        database,
        retryMs: 25,
        onError: (error) => {
          throw error;
        },
      });

    it('runs no loop in an api process', async () => {
      const running = new Set<string>();
      const loops = registry('api', test.database);
      loops.register(probeLoop('sweep', 'once', running, 'api'));
      await loops.start();
      expect(running.size).toBe(0);
      expect(loops.states()).toEqual([{ name: 'sweep', duty: 'worker', scope: 'once', state: 'off' }]);
      await loops.stop();
    });

    if (driver === 'postgres') {
      it('runs a once loop in one worker, each loops in all, and moves the once loop when its holder stops', async () => {
        const second = await openDatabase({ url: test.url!, poolSize: 3 });
        extra.push(second);
        const once = new Set<string>();
        const each = new Set<string>();
        const first = registry('worker', test.database);
        const other = registry('all', second);
        for (const [loops, who] of [
          [first, 'first'],
          [other, 'other'],
        ] as const) {
          loops.register(probeLoop('checkpoints', 'once', once, who));
          loops.register(probeLoop('engine', 'each', each, who));
        }
        await first.start();
        await other.start();
        expect([...once]).toEqual(['first']);
        expect([...each].sort()).toEqual(['first', 'other']);
        expect(other.states().find((s) => s.name === 'checkpoints')?.state).toBe('standby');
        await first.stop();
        await until(() => once.has('other'), 'the standby to take the lease');
        expect([...once]).toEqual(['other']);
        await other.stop();
        expect(once.size).toBe(0);
      });
    } else {
      it('grants every lease to the one process PGlite allows', async () => {
        const running = new Set<string>();
        const loops = registry('all', test.database);
        loops.register(probeLoop('checkpoints', 'once', running, 'only'));
        await loops.start();
        expect([...running]).toEqual(['only']);
        await loops.stop();
        expect(running.size).toBe(0);
      });
    }
  });
}
