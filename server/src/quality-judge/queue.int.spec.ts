import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JudgeQueue, judgeQueue, migrateJudgeQueue } from './queue.js';
import { inSample } from './service.js';

const at = new Date('2026-05-01T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const held = (org: string, runId: string, skill: string) => ({
  org,
  runId,
  skill,
  inputText: '{}',
  outputText: `output of ${runId}`,
});

describe('which runs are sampled', () => {
  it('agrees across calls, takes none at 0 and all at 1, and about the rate in between', () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `run_${i}`);
    expect(ids.filter((id) => inSample(id, 0))).toEqual([]);
    expect(ids.filter((id) => inSample(id, 1))).toHaveLength(2_000);
    const quarter = ids.filter((id) => inSample(id, 0.25));
    expect(quarter.length).toBeGreaterThan(400);
    expect(quarter.length).toBeLessThan(600);
    expect(ids.filter((id) => inSample(id, 0.25))).toEqual(quarter);
  });
});

for (const driver of testDrivers) {
  describe(`the sampling queue on ${driver}`, () => {
    let test: TestDatabase;
    let queue: JudgeQueue;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      await migrateJudgeQueue(test.database.db);
      queue = judgeQueue(test.database.db);
    });
    afterAll(() => test.dispose());

    it('gives each run to one holder at a time, stratified by skill, and again once the claim lapses', async () => {
      const org = 'org_queue_a';
      for (let i = 0; i < 6; i++) await queue.offer(held(org, `run_a${i}`, 'policy.map_controls'), later(i));
      await queue.offer(held(org, 'run_b0', 'training.quiz'), later(10));
      await queue.offer(held('org_queue_other', 'run_x', 'training.quiz'), later(0));

      // The oldest of each skill first: the rarer skill is not starved by the busy one.
      const first = await queue.claim({ org, holder: 'p1', at, leaseMs: 60_000, limit: 2 });
      expect(first.map((r) => r.runId)).toEqual(['run_a0', 'run_b0']);
      const second = await queue.claim({ org, holder: 'p2', at: later(30_000), leaseMs: 60_000, limit: 10 });
      expect(second.map((r) => r.runId).sort()).toEqual(['run_a1', 'run_a2', 'run_a3', 'run_a4', 'run_a5']);
      expect(await queue.claim({ org, holder: 'p3', at, leaseMs: 60_000, limit: 10 })).toEqual([]);

      // p1 dies: its claims lapse and p3 takes them; p2 gives one back and removes one it judged.
      await queue.release(org, 'run_a1', 'p2');
      await queue.remove(org, 'run_a2');
      const retaken = await queue.claim({ org, holder: 'p3', at: later(61_000), leaseMs: 60_000, limit: 10 });
      expect(retaken.map((r) => r.runId).sort()).toEqual(['run_a0', 'run_a1', 'run_b0']);
      // A release by someone who no longer holds the claim does nothing.
      await queue.release(org, 'run_a0', 'p1');
      expect(await queue.claim({ org, holder: 'p4', at: later(62_000), leaseMs: 60_000, limit: 10 })).toEqual(
        [],
      );
      expect(await queue.held(org, 'run_a2')).toBeUndefined();
      expect((await queue.held(org, 'run_a3'))?.outputText).toBe('output of run_a3');
    });

    it('holds a run once, and never hands one org another org’s runs', async () => {
      await queue.offer(held('org_queue_b', 'run_1', 'training.quiz'), at);
      await queue.offer({ ...held('org_queue_b', 'run_1', 'training.quiz'), outputText: 'second' }, at);
      expect((await queue.held('org_queue_b', 'run_1'))?.outputText).toBe('output of run_1');
      expect(await queue.held('org_queue_c', 'run_1')).toBeUndefined();
      const claimed = await queue.claim({ org: 'org_queue_c', holder: 'p1', at, leaseMs: 1_000, limit: 10 });
      expect(claimed).toEqual([]);
      expect(await queue.orgs()).toContain('org_queue_b');
    });
  });
}
