import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const REFUSED = 'refused by the database';

/**
 * The queue row and its event commit together: here the database refuses the row (a trigger stands
 * in for any failure after the decision) and the request's chain must not move.
 */
for (const driver of testDrivers) {
  describe(`a HITL event and its queue row commit together on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      const { db } = t.runtime.database;
      await sql`CREATE FUNCTION refuse_hitl_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'row refused by the test'; END $$`.execute(db);
      await sql`CREATE TRIGGER refuse_hitl_row BEFORE INSERT OR UPDATE ON hitl_requests
        FOR EACH ROW WHEN (NEW.reason = ${sql.lit(REFUSED)} OR NEW.note = ${sql.lit(REFUSED)})
        EXECUTE FUNCTION refuse_hitl_row()`.execute(db);
    });
    afterAll(() => t?.dispose());

    const ask = (reason: string) =>
      t.app.hitl.request({
        org: owner.org,
        actor: { kind: 'user', id: owner.userId },
        kind: 'tool_call',
        target: 'tool/write',
        args: { path: 'docs/a.md', content: 'x' },
        argsSha256: 'c'.repeat(64),
        summary: 'write docs/a.md',
        reason,
        rulesMatched: ['hitl.tools'],
        dlp: {},
        timeoutSeconds: 600,
        autoApproveThreshold: 2.5,
      });

    async function appendedDuring(act: () => Promise<unknown>) {
      const before = await t.runtime.store.latestCursor();
      await act().catch(() => undefined);
      return t.runtime.store.readAll({ after: before });
    }

    it('a request whose row is refused is not audited as requested', async () => {
      const appended = await appendedDuring(async () => {
        await expect(ask(REFUSED)).rejects.toThrow(/row refused/);
      });
      expect(appended).toEqual([]);
    });

    it('a resolution whose row is refused leaves the request pending, in the log and in the queue', async () => {
      const { requestId } = await ask('tool "write" requires human approval');
      const resolve = (note: string) =>
        t.app.hitl.resolve({
          org: owner.org,
          requestId,
          decision: 'approve',
          remember: false,
          note,
          actor: { kind: 'user', id: owner.userId },
        });
      const appended = await appendedDuring(async () => {
        await expect(resolve(REFUSED)).rejects.toThrow(/row refused/);
      });
      expect(appended).toEqual([]);
      expect((await t.app.hitl.get({ org: owner.org, requestId })).status).toBe('pending');
      expect((await resolve('fine')).status).toBe('approved');
    });
  });
}
