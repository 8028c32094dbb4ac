import { type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway } from '../../testing/test-gateway.js';
import { evaluateAssertions } from '../assertions.js';
import { runSkill, type SkillRunnerDeps } from '../run-skill.js';
import { SKILLS } from './index.js';

const actor = { kind: 'system' as const, id: 'skill-evals' };

// Each skill's own eval cases, run through every gate of the governed call on the demo provider.
for (const driver of testDrivers) {
  describe(`the skills' eval cases on the demo provider, on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let deps: SkillRunnerDeps;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      deps = { store, gateway: (await createTestGateway({ store, db: test.database.db })).gateway };
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it.each(SKILLS.map((s) => [s.id, s] as const))('%s passes its eval cases', async (id, skill) => {
      const org = `org_evals_${id.replace('.', '_')}`;
      for (const evalCase of skill.evalCases) {
        const result = await runSkill(deps, { org, actor, skillId: id, input: evalCase.input });
        const report = evaluateAssertions({ output: result.output, assertions: evalCase.assertions });
        const failed = report.results.filter((r) => !r.passed).map((r) => r.message);
        expect(failed, evalCase.name).toEqual([]);
        expect(result.answers, evalCase.name).toBe(1);
      }
      const runs = (await store.readOrg({ org })).filter((e) => e.type === 'cp.run.completed');
      expect(runs.map((e) => e.data)).toEqual(skill.evalCases.map(() => ({ status: 'succeeded' })));
    });
  });
}
