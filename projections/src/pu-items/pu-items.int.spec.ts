import type { Actor, NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../runner/rebuild.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import {
  listPuItems,
  puItemsAwaitingPromotion,
  puItemsAwaitingTriage,
  puTriageSpend,
  stalePuItems,
} from './queries.js';

const system: Actor = { kind: 'system', id: 'parallel-universe' };
const person: Actor = { kind: 'user', id: 'usr_ada' };
const idOf = (n: number) => `pu_${n.toString(16).padStart(24, '0')}`;

const discovered = (n: number): NewEvent => ({
  type: 'cp.pu.item.discovered',
  subject: `pu-item/${idOf(n)}`,
  actor: system,
  data: {
    itemId: idOf(n),
    source: 'hacker-news',
    sourceId: `story-${n}`,
    title: `Story ${n}`,
    url: `https://news.example/${n}`,
    publishedAt: null,
    excerpt: 'text',
  },
});
const on = (n: number, type: string, data: Record<string, unknown>, actor = system): NewEvent => ({
  type,
  subject: `pu-item/${idOf(n)}`,
  actor,
  data: { itemId: idOf(n), ...data },
});
const triaged = (n: number, costMicros: number) =>
  on(n, 'cp.pu.item.triaged', {
    relevance: 0.75,
    summary: `summary ${n}`,
    action: 'coder',
    proposal: `goal ${n}`,
    runId: `run_${n}`,
    costMicros,
  });

for (const driver of testDrivers) {
  describe(`the pu-items read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, now: new Date('2026-03-31T23:00:00.000Z') });
    });
    afterAll(() => h.dispose());

    it("lists each org's items with scores, feeds the loop's queues and the month's spend, and rebuilds the same rows", async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, [discovered(1), triaged(1, 700)]);
      h.clock.now = new Date('2026-04-02T08:00:00.000Z');
      await h.given(a, [
        discovered(2),
        triaged(2, 1_000),
        discovered(3),
        on(3, 'cp.pu.item.triage.failed', { reason: 'schema', runId: 'run_3', costMicros: 250 }),
        discovered(4),
        triaged(4, 50),
        on(4, 'cp.pu.item.promotion.requested', { target: 'coder', hitlRequestId: 'hitl_4' }, person),
        discovered(5),
        triaged(5, 0),
        on(5, 'cp.pu.item.promotion.requested', { target: 'coder', hitlRequestId: 'hitl_5' }, person),
        on(5, 'cp.pu.item.promoted', { target: 'coder', sessionId: `cs_${idOf(5)}` }, person),
        discovered(6),
      ]);
      await h.given(b, [discovered(9)]);

      const items = await listPuItems(h.db, { org: a, limit: 10 });
      // Newest first; items found in one pass in id order.
      expect(items.map((i) => [i.id, i.status])).toEqual([
        [idOf(2), 'triaged'],
        [idOf(3), 'triage_failed'],
        [idOf(4), 'promotion_pending'],
        [idOf(5), 'promoted'],
        [idOf(6), 'new'],
        [idOf(1), 'triaged'],
      ]);
      expect(items.find((i) => i.id === idOf(2))).toMatchObject({
        relevance: 0.75,
        summary: 'summary 2',
        action: 'coder',
        proposal: 'goal 2',
        costMicros: 1_000,
        triagedAt: '2026-04-02T08:00:00.000Z',
      });
      expect(items.find((i) => i.id === idOf(5))?.sessionId).toBe(`cs_${idOf(5)}`);
      expect((await listPuItems(h.db, { org: a, status: 'triaged', limit: 10 })).map((i) => i.id)).toEqual([
        idOf(2),
        idOf(1),
      ]);
      expect(await puItemsAwaitingTriage(h.db, { org: a, limit: 10 })).toEqual([idOf(6)]);
      expect(await puItemsAwaitingPromotion(h.db, { org: a })).toEqual([idOf(4)]);
      // March's triage is not April's spend; the failed triage's cost counts.
      expect(await puTriageSpend(h.db, { org: a, since: new Date('2026-04-01T00:00:00.000Z') })).toBe(1_300);
      expect(await stalePuItems(h.db, { org: a, before: new Date('2026-04-01T00:00:00.000Z') })).toEqual([
        idOf(1),
      ]);
      expect((await listPuItems(h.db, { org: b, limit: 10 })).map((i) => i.id)).toEqual([idOf(9)]);
      expect(await puItemsAwaitingTriage(h.db, { org: b, limit: 10 })).toEqual([idOf(9)]);

      await h.given(a, [on(1, 'cp.pu.item.archived', { staleAfterDays: 1 })]);
      expect(await stalePuItems(h.db, { org: a, before: new Date('2026-04-01T00:00:00.000Z') })).toEqual([]);

      const rows = async () =>
        (await sql`SELECT * FROM pu_items WHERE org IN (${a}, ${b}) ORDER BY org, id`.execute(h.db)).rows;
      const live = await rows();
      await rebuildProjections({ database: h.test.database, batchSize: 4 });
      expect(await rows()).toEqual(live);
    });
  });
}
