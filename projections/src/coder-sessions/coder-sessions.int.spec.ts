import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../runner/rebuild.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { listCoderSessions, untilCoderSessionsProjected } from './queries.js';

const person = { kind: 'user' as const, id: 'usr_ada' };
const sha = (c: string) => c.repeat(64);

const created = (id: string, mode: 'repo' | 'greenfield', deviceId?: string): NewEvent => ({
  type: 'cp.coder.session.created',
  subject: `coder/${id}`,
  actor: person,
  data: {
    sessionId: id,
    mode,
    goal: `goal of ${id}`,
    ...(mode === 'repo' ? { repo: 'app', branch: `proofpane/coder/${id}` } : {}),
    ...(deviceId ? { deviceId } : {}),
    runId: `run_${id}`,
    limits: { maxIterations: 20, maxTokens: 200_000 },
  },
});
const step = (id: string, type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  subject: `coder/${id}`,
  actor: person,
  data: { sessionId: id, ...data },
});
const iteration = (id: string, n: number) =>
  step(id, 'cp.coder.iteration.recorded', {
    iteration: n,
    inputTokens: 100,
    outputTokens: 20,
    toolCalls: [{ callId: `c${n}`, tool: 'write', status: 'completed' }],
  });

for (const driver of testDrivers) {
  describe(`the coder-sessions read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('lists each org its own sessions with status, iterations and tokens, and rebuilds the same rows', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, [created('cs_1', 'repo', 'dev_build_box'), step('cs_1', 'cp.coder.session.started')]);
      h.clock.now = new Date('2026-03-15T12:05:00.000Z');
      await h.given(a, [
        created('cs_2', 'greenfield'),
        step('cs_2', 'cp.coder.session.started'),
        iteration('cs_2', 1),
        iteration('cs_2', 2),
        step('cs_2', 'cp.coder.session.finished', { stop: 'done', filesChanged: 3, diffSha256: sha('a') }),
        step('cs_2', 'cp.coder.session.applied', { artifactSha256: sha('b'), artifactBytes: 120 }),
      ]);
      h.clock.now = new Date('2026-03-15T12:10:00.000Z');
      await h.given(a, [created('cs_3', 'repo'), step('cs_3', 'cp.coder.session.discarded')]);
      await h.given(b, [created('cs_9', 'greenfield')]);

      const mine = await listCoderSessions(h.db, { org: a, limit: 10 });
      expect(mine.map((s) => [s.id, s.mode, s.status])).toEqual([
        ['cs_3', 'repo', 'discarded'],
        ['cs_2', 'greenfield', 'applied'],
        ['cs_1', 'repo', 'running'],
      ]);
      expect(mine[1]).toMatchObject({
        iterations: 2,
        tokens: 240,
        stop: 'done',
        filesChanged: 3,
        artifactSha256: sha('b'),
        createdBy: 'usr_ada',
        createdAt: '2026-03-15T12:05:00.000Z',
        runId: 'run_cs_2',
      });
      expect(mine[2]).toMatchObject({
        repo: 'app',
        deviceId: 'dev_build_box',
        branch: 'proofpane/coder/cs_1',
        iterations: 0,
      });
      expect(mine[0]).toMatchObject({ repo: 'app', deviceId: null });
      expect((await listCoderSessions(h.db, { org: a, limit: 1 })).map((s) => s.id)).toEqual(['cs_3']);
      expect((await listCoderSessions(h.db, { org: b, limit: 10 })).map((s) => s.id)).toEqual(['cs_9']);
      expect(await untilCoderSessionsProjected(h.db, 0)).toBe(true);

      const rows = async () =>
        (await sql`SELECT * FROM coder_sessions WHERE org IN (${a}, ${b}) ORDER BY org, id`.execute(h.db))
          .rows;
      const live = await rows();
      await rebuildProjections({ database: h.test.database, batchSize: 3 });
      expect(await rows()).toEqual(live);
    });
  });
}
