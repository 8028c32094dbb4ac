import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted, policyDecided, runStarted } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { auditBounds, matchesAudit, queryAudit } from './queries.js';

for (const driver of testDrivers) {
  describe(`audit index on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('indexes each event once with its actor, subject and run, and returns the envelopes as hashed', async () => {
      const org = newOrg();
      const other = newOrg();
      const events = await h.given(org, [
        runStarted({ id: 'r1', kind: 'workflow' }),
        policyDecided({ id: 'c1', runId: 'r1' }),
        callCompleted({ id: 'c1', costMicros: 10, runId: 'r1', actor: { kind: 'apikey', id: 'key_1' } }),
        policyDecided({ id: 'c2' }),
      ]);
      await h.given(other, [policyDecided({ id: 'x' })]);
      const { rows } = await sql<{
        seq: string;
        type: string;
        actor_kind: string;
        actor_id: string;
        run_id: string | null;
      }>`
        SELECT seq, type, actor_kind, actor_id, run_id FROM audit_index WHERE org = ${org} ORDER BY seq`.execute(
        h.db,
      );
      expect(rows.map((r) => [Number(r.seq), r.actor_kind, r.actor_id, r.run_id])).toEqual([
        [1, 'agent', 'agent_1', 'r1'],
        [2, 'user', 'usr_1', 'r1'],
        [3, 'apikey', 'key_1', 'r1'],
        [4, 'user', 'usr_1', null],
      ]);
      const all = await queryAudit({ db: h.db, org, filter: {}, limit: 100 });
      expect(all).toEqual({ events, next: null });
    });

    it('filters by type prefix, actor, subject, run, time and seq, and pages with a cursor', async () => {
      const org = newOrg();
      h.clock.now = new Date('2026-03-10T10:00:00.000Z');
      const early = await h.given(org, [
        policyDecided({ id: 'a' }),
        callCompleted({ id: 'a', costMicros: 1 }),
      ]);
      h.clock.now = new Date('2026-03-11T10:00:00.000Z');
      const late = await h.given(org, [
        policyDecided({ id: 'b', runId: 'run_9', actor: { kind: 'agent', id: 'bot' } }),
        callCompleted({ id: 'b', costMicros: 1, runId: 'run_9' }),
      ]);
      const seqs = async (filter: Parameters<typeof queryAudit>[0]['filter']) =>
        (await queryAudit({ db: h.db, org, filter, limit: 50 })).events.map((e) => e.seq);
      expect(await seqs({ type: 'cp.llm.' })).toEqual([2, 4]);
      expect(await seqs({ type: 'cp.gate.policy.decided' })).toEqual([1, 3]);
      expect(await seqs({ type: 'cp.gate_' })).toEqual([]);
      expect(await seqs({ actor: 'bot' })).toEqual([3]);
      expect(await seqs({ actorKind: 'user' })).toEqual([1, 2, 4]);
      expect(await seqs({ subject: 'call/a' })).toEqual([1, 2]);
      expect(await seqs({ runId: 'run_9' })).toEqual([3, 4]);
      expect(await seqs({ from: '2026-03-11T00:00:00Z' })).toEqual([3, 4]);
      expect(await seqs({ to: '2026-03-11T00:00:00Z' })).toEqual([1, 2]);
      expect(await seqs({ fromSeq: 2, toSeq: 3 })).toEqual([2, 3]);

      const first = await queryAudit({ db: h.db, org, filter: {}, limit: 3 });
      expect(first.events).toEqual([...early, late[0]]);
      expect(first.next).toBe('3');
      const second = await queryAudit({ db: h.db, org, filter: {}, after: first.next!, limit: 3 });
      expect(second).toEqual({ events: [late[1]], next: null });

      for (const filter of [
        { type: 'cp.llm.' },
        { actor: 'bot' },
        { runId: 'run_9' },
        { to: '2026-03-11T00:00:00Z' },
      ]) {
        expect([...early, ...late].filter((e) => matchesAudit(e, filter)).map((e) => e.seq)).toEqual(
          await seqs(filter),
        );
      }
      expect(await auditBounds({ db: h.db, org, filter: { type: 'cp.llm.' } })).toEqual({
        first: { seq: 2, hash: early[1]!.hash },
        last: { seq: 4, hash: late[1]!.hash },
        count: 2,
      });
      expect(await auditBounds({ db: h.db, org, filter: { actor: 'nobody' } })).toBeNull();
    });
  });
}
