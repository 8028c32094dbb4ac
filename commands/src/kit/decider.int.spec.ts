import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError, runDecider } from '../runs/decider.js';
import { foldSubject, handleCommand } from './decider.js';

const actor = { kind: 'system' as const, id: 'spec' };

for (const driver of testDrivers) {
  describe(`handleCommand on ${driver}`, () => {
    let test: TestDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    const handle = (subject: string, command: Parameters<typeof runDecider.decide>[0]) =>
      handleCommand({
        store,
        org: 'org_kit',
        subject,
        decider: runDecider,
        command,
        actor,
        meta: { runId: subject },
      });

    it('appends what the decider decides, with the meta given, and nothing for a no-op', async () => {
      const [started] = await handle('run/a', { type: 'start', kind: 'workflow', name: 'a' });
      expect(started).toMatchObject({ type: 'cp.run.started', subjectVersion: 1, meta: { runId: 'run/a' } });
      expect(await handle('run/a', { type: 'start', kind: 'workflow', name: 'a' })).toEqual([]);
      expect(
        (await foldSubject({ store, org: 'org_kit', subject: 'run/a', decider: runDecider })).state,
      ).toEqual({ status: 'running', kind: 'workflow' });
    });

    it('lets exactly one of two racing completions win; the loser decides again and is refused', async () => {
      await handle('run/b', { type: 'start', kind: 'workflow', name: 'b' });
      const outcomes = await Promise.allSettled([
        handle('run/b', { type: 'complete', status: 'succeeded' }),
        handle('run/b', { type: 'complete', status: 'cancelled' }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(RunError);
      expect((refused.reason as RunError).code).toBe('run_finished');
      const events = await store.readSubject({ org: 'org_kit', subject: 'run/b' });
      expect(events.map((e) => e.type)).toEqual(['cp.run.started', 'cp.run.completed']);
    });

    it('writes the inline rows in the append and leaves no event when they fail', async () => {
      await expect(
        handleCommand({
          store,
          org: 'org_kit',
          subject: 'run/c',
          decider: runDecider,
          command: { type: 'start', kind: 'workflow', name: 'c' },
          actor,
          inline: async () => {
            throw new Error('row refused');
          },
        }),
      ).rejects.toThrow('row refused');
      expect(await store.readSubject({ org: 'org_kit', subject: 'run/c' })).toEqual([]);
    });
  });
}
