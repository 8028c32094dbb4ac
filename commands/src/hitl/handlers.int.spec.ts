import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestCommand } from './decide.js';
import { HitlError } from './errors.js';
import { expireApproval, handleHitlCommand, requestApproval } from './handlers.js';

const org = 'org_hitl';
const person = { kind: 'user' as const, id: 'usr_asker' };
const reviewer = (n: number) => ({ kind: 'user' as const, id: `usr_reviewer${n}` });

const ask = (requestId: string, support = { score: 0, cited: [] as RequestCommand['support']['cited'] }) =>
  ({
    type: 'request',
    requestId,
    now: new Date(),
    kind: 'tool_call',
    target: 'tool/write',
    args: { path: 'docs/a.md', content: 'x' },
    argsSha256: 'a'.repeat(64),
    summary: 'write docs/a.md',
    reason: 'tool "write" requires human approval',
    rulesMatched: ['hitl.tools'],
    dlp: {},
    timeoutSeconds: 600,
    autoApproveThreshold: 2.5,
    support,
  }) satisfies RequestCommand;

for (const driver of testDrivers) {
  describe(`HITL handlers on ${driver}`, () => {
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

    it('attributes the request to the asker and its auto-approval to the precedents, with the meta on both', async () => {
      const cited = [{ requestId: 'hitl_prior', approvedBy: 'usr_1', similarity: 1 }];
      const events = await requestApproval({
        store,
        org,
        actor: person,
        meta: { callId: 'call_1' },
        command: ask('hitl_auto', { score: 3, cited }),
      });
      expect(events.map((e) => [e.type, e.actor.id, e.subject, e.meta])).toEqual([
        ['cp.hitl.requested', 'usr_asker', 'hitl/hitl_auto', { callId: 'call_1' }],
        ['cp.hitl.resolved', 'precedents', 'hitl/hitl_auto', { callId: 'call_1' }],
      ]);
      await expect(requestApproval({ store, org, actor: person, command: ask('hitl_auto') })).rejects.toThrow(
        /version/,
      );
    });

    it('lets exactly one of two racing reviewers win; the other is refused as already resolved', async () => {
      await requestApproval({ store, org, actor: person, command: ask('hitl_race') });
      const outcomes = await Promise.allSettled(
        (['approve', 'deny'] as const).map((decision, n) =>
          handleHitlCommand({
            store,
            org,
            actor: reviewer(n),
            command: { type: 'resolve', requestId: 'hitl_race', decision, remember: false, now: new Date() },
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(HitlError);
      expect(lost.reason).toMatchObject({ code: 'already_resolved', status: 409 });
      const types = (await store.readSubject({ org, subject: 'hitl/hitl_race' })).map((e) => e.type);
      expect(types).toEqual(['cp.hitl.requested', 'cp.hitl.resolved']);
    });

    it('expires a pending request as the timeout, and nothing once it is decided', async () => {
      await requestApproval({ store, org, actor: person, command: ask('hitl_late') });
      const [denied] = await expireApproval({ store, org, requestId: 'hitl_late' });
      expect(denied).toMatchObject({
        type: 'cp.hitl.expired',
        actor: { kind: 'system', id: 'hitl-timeout' },
      });
      expect(await expireApproval({ store, org, requestId: 'hitl_late' })).toEqual([]);
    });

    it('writes nothing when the queue row is refused', async () => {
      const refused = () => Promise.reject(new Error('row refused'));
      await expect(
        requestApproval({ store, org, actor: person, command: ask('hitl_norow'), inline: refused }),
      ).rejects.toThrow('row refused');
      expect(await store.readSubject({ org, subject: 'hitl/hitl_norow' })).toEqual([]);
    });
  });
}
