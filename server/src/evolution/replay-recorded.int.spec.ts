import { type Gateway, keptSkillInputs, recordedThenEvalCases, replayGene } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, auth, registerAccount } from '../identity/testing/identity-test-app.js';
import { createClockedApp } from '../quality-drift/testing.js';

const SKILL = 'intake.classify_use_case';
const OTHER_SKILL = 'intake.summarize_use_case';
// Near today: the replay route reads kept inputs against the wall clock's age limit.
const T0 = Date.now() - 86_400_000;
const DAY = 86_400_000;

for (const driver of testDrivers) {
  describe(`replays on kept, masked skill inputs on ${driver}`, () => {
    let t: Awaited<ReturnType<typeof createClockedApp>>;
    let owner: Account;
    let other: Account;
    const runIds: Record<string, string> = {};

    const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
      const res = await t.app.inject({ method, url, headers: auth(token), ...(payload ? { payload } : {}) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const runSkill = async (account: Account, skill: string, name: string, description: string) => {
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      const run = await call(account.token, 'POST', `/api/skills/${skill}/run`, {
        input: { name, description },
      });
      runIds[name] = run.runId;
      return run.runId as string;
    };
    const keptRows = async (org: string) =>
      (
        await sql<{ run_id: string; skill: string; input_text: string }>`
          SELECT run_id, skill, input_text FROM evolution_kept_inputs WHERE org = ${org}
          ORDER BY kept_at`.execute(t.app.runtime.database.db)
      ).rows;
    const propose = async (token: string, text: string) =>
      (await call(token, 'POST', '/api/genes', { skill: SKILL, text, rationale: 'Runs were repaired' }))
        .id as string;

    beforeAll(async () => {
      t = await createClockedApp({ driver, start: new Date(T0) });
      owner = await registerAccount(t.app);
      other = await registerAccount(t.app);
      await runSkill(
        owner,
        SKILL,
        'Refund bot',
        'Mails ada.lovelace@example.com about refunds for customers.',
      );
      await runSkill(owner, SKILL, 'Ticket router', 'Routes support tickets to the right team by topic.');
      await runSkill(owner, OTHER_SKILL, 'Summary only', 'Not this skill: summarises contracts for lawyers.');
      await runSkill(other, SKILL, 'Foreign bot', 'Another org answers questions about its payroll.');
    });
    afterAll(() => t.dispose());

    it('keeps each run’s input as the provider received it, masked, without sampling and never in events', async () => {
      const rows = await keptRows(owner.org);
      expect(rows.map((r) => [r.run_id, r.skill])).toEqual([
        [runIds['Refund bot'], SKILL],
        [runIds['Ticket router'], SKILL],
        [runIds['Summary only'], OTHER_SKILL],
      ]);
      const refund = JSON.parse(rows[0]!.input_text);
      expect(refund.name).toBe('Refund bot');
      expect(refund.description).toMatch(/^Mails \[EMAIL_1\] about refunds/);
      expect(JSON.stringify(rows)).not.toContain('ada.lovelace');
      const events = await t.store.readOrg({ org: owner.org });
      expect(JSON.stringify(events)).not.toContain('support tickets to the right team');
    });

    it('replays an org sampling 0 % on its own kept inputs of the skill, newest first, then eval cases', async () => {
      const geneId = await propose(owner.token, 'Name the category first.');
      const asked: string[] = [];
      const real = t.app.gateway.gateway;
      const gateway: Pick<Gateway, 'complete'> = {
        complete: (request) => {
          for (const m of request.request.messages) asked.push(String(m.content));
          return real.complete(request);
        },
      };
      const result = await replayGene(
        {
          store: t.store,
          gateway,
          inputs: recordedThenEvalCases(keptSkillInputs({ db: t.app.runtime.database.db, store: t.store })),
        },
        {
          org: owner.org,
          actor: { kind: 'user', id: owner.userId },
          skill: SKILL,
          geneId,
          limit: 4,
          model: null,
        },
      );
      expect(result).toMatchObject({
        inputs: 'recorded',
        recordedInputs: 2,
        evalCaseInputs: 2,
        recordedRunIds: [runIds['Ticket router'], runIds['Refund bot']],
      });
      // Both capsules were asked each kept input, masked as the provider first saw it.
      expect(asked.filter((m) => m.includes('Routes support tickets'))).toHaveLength(2);
      expect(asked.filter((m) => m.includes('Mails [EMAIL_1] about refunds'))).toHaveLength(2);
      expect(asked.some((m) => m.includes('payroll') || m.includes('summarises contracts'))).toBe(false);
      const replayed = (await t.store.readOrg({ org: owner.org })).find(
        (e) => e.type === 'cp.evolution.gene.replayed',
      );
      expect(JSON.stringify(replayed?.data)).not.toContain('Routes support tickets');
    });

    it('replays through the route on the org’s own kept inputs only', async () => {
      const geneId = await propose(other.token, 'Mention the deployment context.');
      const gene = await call(other.token, 'POST', `/api/genes/${geneId}/replay`, { inputs: 3 });
      expect(gene.replay).toMatchObject({
        inputs: 'recorded',
        recordedInputs: 1,
        evalCaseInputs: 2,
        recordedRunIds: [runIds['Foreign bot']],
      });
    });

    it('trims to the org’s retention count and age, and keeps nothing at 0', async () => {
      const settings = await call(owner.token, 'GET', '/api/evolution/settings');
      expect(settings).toMatchObject({ replayKeepRuns: 50, replayKeepDays: 30 });
      await call(owner.token, 'PUT', '/api/evolution/settings', { ...settings, replayKeepRuns: 2 });
      await runSkill(owner, SKILL, 'Third bot', 'Drafts replies to supplier emails for buyers.');
      expect((await keptRows(owner.org)).filter((r) => r.skill === SKILL).map((r) => r.run_id)).toEqual([
        runIds['Ticket router'],
        runIds['Third bot'],
      ]);
      // Past the age limit an input is no longer replayed, and the skill's next run deletes it.
      t.clock.now = new Date(t.clock.now.getTime() + 31 * DAY);
      const read = keptSkillInputs({ db: t.app.runtime.database.db, store: t.store, now: () => t.clock.now });
      expect(await read({ org: owner.org, skill: SKILL, limit: 5 })).toEqual([]);
      await runSkill(owner, SKILL, 'Fourth bot', 'Answers questions about opening hours.');
      expect((await keptRows(owner.org)).filter((r) => r.skill === SKILL).map((r) => r.run_id)).toEqual([
        runIds['Fourth bot'],
      ]);
      await call(owner.token, 'PUT', '/api/evolution/settings', { ...settings, replayKeepRuns: 0 });
      await runSkill(owner, SKILL, 'Fifth bot', 'Sorts invoices by supplier.');
      expect((await keptRows(owner.org)).map((r) => r.run_id)).not.toContain(runIds['Fifth bot']);
      // The other org's kept input is untouched by the owner's trims.
      expect((await keptRows(other.org)).map((r) => r.run_id)).toEqual([runIds['Foreign bot']]);
    });
  });
}
