import { type EventEnvelope, type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway/index.js';
import { L4_DEFAULTS, updateQualitySettings } from '../quality/settings.js';
import { MALFORMED_VERDICT, verdictText } from '../quality-judge/testing/verdicts.js';
import { runSkill } from '../skills/run-skill.js';
import { type FakeVendor, startFakeOpenAI } from '../testing/index.js';
import { createTestGateway } from '../testing/test-gateway.js';
import { capsuleIdOf } from './capsule-text.js';
import { dream } from './dream.js';
import { decideDream } from './dream-lease.js';
import { EvolutionError } from './errors.js';
import { evolvableSkill } from './evolvable.js';
import { evolutionCapsules, handleEvolutionCommand, loadEvolution } from './handlers.js';
import type { ReplayJudge } from './judge.js';
import { configuredL4, l4ReplayJudge } from './l4-replay-judge.js';
import { replayGene } from './replay.js';
import { EVOLUTION_DEFAULTS } from './settings.js';

const alice = { kind: 'user' as const, id: 'usr_alice' };
const bob = { kind: 'user' as const, id: 'usr_bob' };
const system = { kind: 'system' as const, id: 'evolution-dream' };
const skill = 'intake.classify_use_case';
const basePrompt = evolvableSkill(skill)!.basePrompt;

for (const driver of testDrivers) {
  describe(`evolution on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let vendor: FakeVendor;
    let gateway: Gateway;
    let orgs = 0;
    const nextOrg = () => `org_evolution_${++orgs}`;
    const typesOf = (events: EventEnvelope[]) => events.map((e) => e.type);

    const proposeAndApprove = async (org: string, geneId: string, text: string) => {
      await handleEvolutionCommand({
        store,
        org,
        actor: alice,
        command: {
          type: 'propose',
          geneId,
          skill,
          text,
          rationale: 'seen in the log',
          motivatingEventIds: [],
          origin: 'person',
          proposedBy: alice.id,
          maxOpenProposals: 3,
        },
      });
      const approved = await handleEvolutionCommand({
        store,
        org,
        actor: bob,
        command: { type: 'approve', geneId, skill, by: bob.id, basePrompt },
      });
      return (approved[0]!.data as { capsuleId: string }).capsuleId;
    };
    const activate = (org: string, capsuleId: string) =>
      handleEvolutionCommand({
        store,
        org,
        actor: bob,
        command: { type: 'activate', capsuleId, skill, by: bob.id },
      });

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      vendor = await startFakeOpenAI();
      ({ gateway } = await createTestGateway({
        store,
        db: test.database.db,
        providers: { openai: { apiKey: 'sk-spec', baseURL: `${vendor.url}/v1` } },
      }));
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
      await vendor.close();
    });

    it('keeps one active capsule under racing activations, each naming the one it replaced', async () => {
      const org = nextOrg();
      const first = await proposeAndApprove(org, 'gene_a', 'Name the category first.');
      const second = await proposeAndApprove(org, 'gene_b', 'Quote the description when unsure.');
      const outcomes = await Promise.allSettled([
        activate(org, first),
        activate(org, second),
        activate(org, second),
        activate(org, first),
      ]);
      const events = await store.readSubject({ org, subject: `evolution/${skill}` });
      const activations = events.filter((e) => e.type === 'cp.evolution.capsule.activated');
      // Each activation was decided on the state the one before it left: a linear chain.
      let previous: string | null = null;
      for (const a of activations) {
        const data = a.data as { capsuleId: string; previousCapsuleId: string | null };
        expect(data.previousCapsuleId).toBe(previous);
        expect(data.capsuleId).not.toBe(previous);
        previous = data.capsuleId;
      }
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(activations.length + refused.length).toBe(4);
      for (const r of refused)
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'evolution_capsule_active' });
      const { state } = await loadEvolution({ store, org, skill });
      expect(state.activeCapsuleId).toBe(previous);
    });

    it('composes a skill run from the active capsule, and names it on the run and the call', async () => {
      const org = nextOrg();
      const capsuleId = await proposeAndApprove(org, 'gene_a', 'Name the category first.');
      const deps = { store, gateway, capsules: evolutionCapsules(store) };
      const input = { name: 'Help desk bot', description: 'Answers customer questions.' };
      const before = await runSkill(deps, { org, actor: alice, skillId: skill, input });
      expect(before.capsuleId).toBeNull();
      await activate(org, capsuleId);
      const after = await runSkill(deps, { org, actor: alice, skillId: skill, input });
      expect(after.capsuleId).toBe(capsuleId);
      const invoked = (await store.readSubject({ org, subject: `run/${after.runId}` })).find(
        (e) => e.type === 'cp.skill.invoked',
      );
      expect(invoked?.data).toMatchObject({ capsuleId });
      const calls = (await store.readOrg({ org })).filter(
        (e) => e.type === 'cp.llm.call.completed' && e.meta?.runId === after.runId,
      );
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.data).toMatchObject({ capsuleId });
      // The id is the hash of the text the run was composed from.
      const { state } = await loadEvolution({ store, org, skill });
      expect(capsuleIdOf(state.capsules.get(capsuleId)!.text)).toBe(capsuleId);
      expect(state.capsules.get(capsuleId)!.text).toContain('- Name the category first.');
    });

    it('stops asking for proposals once the pass itself spent what the budget line had left', async () => {
      const org = nextOrg();
      const other = 'intake.summarize_use_case';
      const signals = new Map([
        [skill, [{ eventId: 'evt_b1', kind: 'schema_repair' as const, skill, runId: 'run_b1' }]],
        [other, [{ eventId: 'evt_b2', kind: 'schema_repair' as const, skill: other, runId: 'run_b2' }]],
      ]);
      vendor.script({
        text: JSON.stringify({
          genes: [{ text: 'Fill every field.', rationale: 'r', eventIds: ['evt_b1'] }],
        }),
        usage: { input: 40, output: 60 },
      });
      const settings = { ...EVOLUTION_DEFAULTS, model: 'openai/gpt-4o-mini' };
      const outcome = await dream(
        { store, gateway },
        { org, actor: system, settings, signals, budgetLeftMicros: 1 },
      );
      expect(outcome).toMatchObject({ skills: 1, proposed: 1 });
      expect(outcome.costMicros).toBeGreaterThan(0);
      const calls = (await store.readOrg({ org })).filter((e) => e.type === 'cp.llm.call.completed');
      expect(calls).toHaveLength(1);
    });

    it('dreams genes a model proposed, citing only events of the log, and never approves them', async () => {
      const org = nextOrg();
      const signals = new Map([
        [
          skill,
          [
            { eventId: 'evt_real_1', kind: 'schema_repair' as const, skill, runId: 'run_1' },
            { eventId: 'evt_real_2', kind: 'l3_unknown' as const, skill, runId: 'run_2' },
          ],
        ],
      ]);
      vendor.script({
        text: JSON.stringify({
          genes: [
            {
              text: 'List every required field before answering.',
              rationale: 'repairs',
              eventIds: ['evt_real_1', 'evt_made_up'],
            },
            { text: 'A gene citing nothing real.', rationale: 'none', eventIds: ['evt_made_up'] },
          ],
        }),
      });
      const settings = { ...EVOLUTION_DEFAULTS, maxOpenProposals: 2, model: 'openai/gpt-4o-mini' };
      const outcome = await dream({ store, gateway }, { org, actor: system, settings, signals });
      expect(outcome).toMatchObject({ skills: 1, signals: 2, proposed: 1 });
      const { state } = await loadEvolution({ store, org, skill });
      const genes = [...state.genes.values()];
      expect(genes).toMatchObject([
        {
          text: 'List every required field before answering.',
          origin: 'dream',
          proposedBy: null,
          status: 'proposed',
          motivatingEventIds: ['evt_real_1'],
        },
      ]);
      const proposedEvent = (await store.readOrg({ org })).find(
        (e) => e.type === 'cp.evolution.gene.proposed',
      );
      expect(proposedEvent?.data).toMatchObject({ evidenceRunIds: ['run_1'] });
      const call = (await store.readOrg({ org })).find((e) => e.type === 'cp.llm.call.completed');
      expect(call?.data).toMatchObject({ route: 'evolution' });
      // On demo, a scripted gene per kind of signal not cited yet, up to the open limit.
      const again = await dream(
        { store, gateway },
        { org, actor: system, settings: { ...settings, model: null }, signals },
      );
      expect(again.proposed).toBe(1);
      const third = await dream(
        { store, gateway },
        { org, actor: system, settings: { ...settings, model: null }, signals },
      );
      expect(third.proposed).toBe(0);
      const after = [...(await loadEvolution({ store, org, skill })).state.genes.values()];
      expect(after).toHaveLength(2);
      expect(after.every((g) => g.status === 'proposed')).toBe(true);
    });

    it('replays inputs with both capsules and records the judged tally on the proposal', async () => {
      const org = nextOrg();
      await handleEvolutionCommand({
        store,
        org,
        actor: alice,
        command: {
          type: 'propose',
          geneId: 'gene_r',
          skill,
          text: 'Prefer the narrower category.',
          rationale: 'why',
          motivatingEventIds: [],
          origin: 'person',
          proposedBy: alice.id,
          maxOpenProposals: 3,
        },
      });
      const verdicts = ['win', 'loss', 'win'] as const;
      let asked = 0;
      const fixed: ReplayJudge = {
        name: 'fixed',
        score: () => ({ valid: true, passed: 0 }),
        compare: () => verdicts[asked++]!,
      };
      const recorded = {
        inputs: async () =>
          [1, 2, 3].map((n) => ({
            name: `recorded ${n}`,
            input: { name: `Case ${n}`, description: 'A [PERSON] asks for a refund.' },
            assertions: [],
            runId: `run_${n}`,
          })),
      };
      const result = await replayGene(
        { store, gateway, judge: fixed, inputs: recorded },
        { org, actor: bob, skill, geneId: 'gene_r', limit: 3, model: null },
      );
      expect(result).toMatchObject({
        wins: 2,
        losses: 1,
        ties: 0,
        inputs: 'recorded',
        recordedInputs: 3,
        evalCaseInputs: 0,
        recordedRunIds: ['run_1', 'run_2', 'run_3'],
        judge: 'fixed',
        activeCapsuleId: null,
      });
      const events = await store.readOrg({ org });
      expect(
        events.filter(
          (e) => e.type === 'cp.llm.call.completed' && (e.data as { route: string }).route === 'evolution',
        ),
      ).toHaveLength(6);
      const replayed = events.find((e) => e.type === 'cp.evolution.gene.replayed');
      expect(replayed?.data).toMatchObject({
        geneId: 'gene_r',
        wins: 2,
        losses: 1,
        cases: [{ verdict: 'win' }, { verdict: 'loss' }, { verdict: 'win' }],
      });
      // On demo both capsules answer alike: the default judge ties them on the eval cases.
      const demo = await replayGene(
        { store, gateway },
        { org, actor: bob, skill, geneId: 'gene_r', limit: 2, model: null },
      );
      expect(demo).toMatchObject({
        inputs: 'eval-cases',
        recordedInputs: 0,
        evalCaseInputs: 2,
        recordedRunIds: [],
        judge: 'schema+eval-cases',
        wins: 0,
        losses: 0,
        ties: 2,
      });
    });

    it('judges replay pairs with the org’s L4 judge on the evolution line once L4 is set up', async () => {
      const org = nextOrg();
      await handleEvolutionCommand({
        store,
        org,
        actor: alice,
        command: {
          type: 'propose',
          geneId: 'gene_l4',
          skill,
          text: 'Quote the sentence that decides the category.',
          rationale: 'why',
          motivatingEventIds: [],
          origin: 'person',
          proposedBy: alice.id,
          maxOpenProposals: 3,
        },
      });
      expect(await configuredL4({ store, org })).toBeNull();
      const l4 = { ...L4_DEFAULTS, judge: { provider: 'openai', model: 'gpt-4o-mini' } };
      await updateQualitySettings({
        store,
        org,
        actor: bob,
        settings: { l3: { governedAnswers: false }, l4 },
      });
      const settings = await configuredL4({ store, org });
      expect(settings).toEqual(l4);
      const usage = { input: 40, output: 60 };
      // Candidate then active for each input: the candidate wins the first pair, loses the second, and the
      // third pair's candidate verdict is malformed twice, so that pair falls back to the schema judge.
      vendor.script(
        { text: verdictText({ scores: [5, 5, 4, 5] }), usage },
        { text: verdictText({ scores: [2, 3, 3, 3] }), usage },
        { text: verdictText({ scores: [2, 2, 2, 2] }), usage },
        { text: verdictText({ scores: [4, 4, 4, 4] }), usage },
        { text: MALFORMED_VERDICT, usage },
        { text: MALFORMED_VERDICT, usage },
        { text: verdictText({ scores: [5, 5, 5, 5] }), usage },
      );
      const inputs = {
        inputs: async () =>
          [1, 2, 3].map((n) => ({
            name: `recorded ${n}`,
            input: { name: `Case ${n}`, description: 'A [PERSON] asks for a refund.' },
            assertions: [],
            runId: `run_l4_${n}`,
          })),
      };
      const result = await replayGene(
        {
          store,
          gateway,
          inputs,
          judge: l4ReplayJudge({ store, gateway }, { org, actor: bob, settings: l4 }),
        },
        { org, actor: bob, skill, geneId: 'gene_l4', limit: 3, model: null },
      );
      expect(result).toMatchObject({ judge: 'l4:openai/gpt-4o-mini', wins: 1, losses: 1, ties: 1 });
      expect(result.cases.map((c) => [c.candidate.l4, c.active.l4, c.verdict])).toEqual([
        [4, 2, 'win'],
        [2, 4, 'loss'],
        [null, 5, 'tie'],
      ]);
      const events = await store.readOrg({ org });
      const calls = events.filter((e) => e.type === 'cp.llm.call.completed');
      const routes = calls.map((e) => (e.data as { route: string }).route);
      // Six demo answers and seven judge calls, every one charged to the evolution line, none to quality.
      expect(routes).toHaveLength(13);
      expect(routes.every((r) => r === 'evolution')).toBe(true);
      const judgeCost = calls
        .filter((e) => !(e.data as { demo: boolean }).demo)
        .reduce((n, e) => n + (e.data as { costMicros: number }).costMicros, 0);
      expect(judgeCost).toBeGreaterThan(0);
      expect(result.costMicros).toBe(
        calls.reduce((n, e) => n + (e.data as { costMicros: number }).costMicros, 0),
      );
      // A replay's verdicts are not verdicts on runs: nothing moves the drift rate.
      expect(events.some((e) => e.type === 'cp.quality.l4.judged')).toBe(false);
    });

    it('evolves the Repo Coder prompt, meta.coder, through the same approvals', async () => {
      const org = nextOrg();
      const meta = evolvableSkill('meta.coder')!;
      await handleEvolutionCommand({
        store,
        org,
        actor: alice,
        command: {
          type: 'propose',
          geneId: 'gene_m',
          skill: meta.id,
          text: 'Run the package specs before proposing a change.',
          rationale: 'changes broke specs',
          motivatingEventIds: [],
          origin: 'person',
          proposedBy: alice.id,
          maxOpenProposals: 3,
        },
      });
      const [approved] = await handleEvolutionCommand({
        store,
        org,
        actor: bob,
        command: {
          type: 'approve',
          geneId: 'gene_m',
          skill: meta.id,
          by: bob.id,
          basePrompt: meta.basePrompt,
        },
      });
      const capsuleId = (approved!.data as { capsuleId: string }).capsuleId;
      await handleEvolutionCommand({
        store,
        org,
        actor: bob,
        command: { type: 'activate', capsuleId, skill: meta.id, by: bob.id },
      });
      const active = await evolutionCapsules(store).active({ org, skillId: 'meta.coder' });
      expect(active?.id).toBe(capsuleId);
      expect(active?.text.startsWith(meta.basePrompt)).toBe(true);
      expect(active?.text).toContain('- Run the package specs before proposing a change.');
    });

    it('lets one of two racing processes take the dream lease', async () => {
      const org = nextOrg();
      const now = new Date('2026-06-01T00:00:00.000Z');
      const start = (dreamId: string) =>
        decideDream({
          store,
          org,
          actor: system,
          command: { type: 'start', dreamId, now, leaseMs: 600_000, intervalMs: 3_600_000 },
        });
      const won = await Promise.all([start('dream_1'), start('dream_2')]);
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(typesOf(await store.readSubject({ org, subject: 'dreams/evolution' }))).toEqual([
        'cp.evolution.dream.started',
      ]);
    });

    it('refuses approving a gene that another approver rejected first', async () => {
      const org = nextOrg();
      await handleEvolutionCommand({
        store,
        org,
        actor: alice,
        command: {
          type: 'propose',
          geneId: 'gene_x',
          skill,
          text: 'Be terse.',
          rationale: 'why',
          motivatingEventIds: [],
          origin: 'person',
          proposedBy: alice.id,
          maxOpenProposals: 3,
        },
      });
      const outcomes = await Promise.allSettled([
        handleEvolutionCommand({
          store,
          org,
          actor: bob,
          command: { type: 'reject', geneId: 'gene_x', skill, by: bob.id },
        }),
        handleEvolutionCommand({
          store,
          org,
          actor: bob,
          command: { type: 'approve', geneId: 'gene_x', skill, by: bob.id, basePrompt },
        }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(EvolutionError);
      const { state } = await loadEvolution({ store, org, skill });
      if (state.genes.get('gene_x')!.status === 'rejected') expect(state.capsules.size).toBe(0);
      else expect(state.approved).toEqual(['gene_x']);
    });
  });
}
