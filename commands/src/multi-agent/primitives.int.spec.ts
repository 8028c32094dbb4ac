import { type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView, ConsensusEscalation } from './consensus-types.js';
import { MultiAgentError } from './errors.js';
import type { GovernedCall } from './model-call.js';
import { runConsensus } from './run-consensus.js';
import { runAdversarialReview } from './run-review.js';
import { readMultiAgentRun } from './run-view.js';

const actor = { kind: 'user' as const, id: 'usr_spec' };
const agent = { provider: 'openai' as const, model: 'gpt-4o-mini' };

/** Agents answer from the list in call order; judge calls say "same" when both name the same city. */
function scripted(answers: string[]): GovernedCall {
  let next = 0;
  return async (input) => {
    if (input.responseFormat?.type === 'json-schema' && input.responseFormat.name === 'entailment') {
      const text = String(input.messages[0]?.content);
      const city = (label: string) =>
        new RegExp(`${label}: .*?(paris|lyon)`, 'i').exec(text)?.[1]?.toLowerCase();
      return {
        text: JSON.stringify({ entails: city('Premise') === city('Hypothesis') }),
        costMicros: 2,
        requestId: `j${next}`,
      };
    }
    return { text: answers[next++ % answers.length] ?? '', costMicros: 10, requestId: `a${next}` };
  };
}

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MultiAgentError);
  return error as MultiAgentError;
};

for (const driver of testDrivers) {
  describe(`multi-agent primitives on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let n = 0;
    const nextOrg = () => `org_multi_agent_${++n}`;

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('escalates with DLP-masked representatives, names the parent only on the start, and tags every event with the run', async () => {
      const org = nextOrg();
      const opened: ClusterView[][] = [];
      const escalation: ConsensusEscalation = {
        open: async (input) => {
          opened.push(input.clusters);
          return { requestId: 'hitl_spec' };
        },
      };
      const call = scripted(['Paris, write to alice@example.com', 'Lyon', 'Paris', 'Lyon', 'Paris']);
      const result = await runConsensus(
        { store, call, escalation },
        {
          org,
          actor,
          messages: [{ role: 'user', content: 'Which city?' }],
          n: 5,
          method: 'entropy',
          agents: [agent, agent, agent, agent, agent],
          threshold: 0.6,
          parentRunId: 'wf_parent',
        },
      );
      expect(result).toMatchObject({ escalated: true, hitlRequestId: 'hitl_spec', answer: null });
      // The caller gets the raw text; what is stored and shown to the approver is masked.
      expect(result.clusters[0]?.representative).toContain('alice@example.com');
      expect(opened[0]?.[0]?.representative).not.toContain('alice@example.com');
      const events = await store.readSubject({ org, subject: `run/${result.runId}` });
      expect(JSON.stringify(events)).not.toContain('alice@example.com');
      expect(events.every((e) => e.meta?.runId === result.runId)).toBe(true);
      expect(events.filter((e) => e.meta?.parentRunId === 'wf_parent').map((e) => e.type)).toEqual([
        'cp.run.started',
      ]);
      expect(events.map((e) => e.type)).toEqual([
        'cp.run.started',
        'cp.multiagent.consensus.requested',
        ...Array(5).fill('cp.multiagent.agent.answered'),
        'cp.multiagent.consensus.decided',
      ]);
      expect(await readMultiAgentRun({ store, org, runId: result.runId })).toMatchObject({
        status: 'escalated',
      });
    });

    it('refuses a run id already taken, whatever run holds it', async () => {
      const org = nextOrg();
      const request = {
        org,
        actor,
        messages: [{ role: 'user' as const, content: 'q' }],
        n: 1,
        method: 'vote' as const,
        threshold: 0.6,
        runId: 'run_taken',
      };
      const call = scripted(['Paris']);
      await runConsensus({ store, call }, request);
      const again = await runConsensus({ store, call }, request).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(again?.code).toBe('run_exists');
      const review = await runAdversarialReview(
        { store, call },
        {
          org,
          actor,
          task: 't',
          rounds: 1,
          drafter: agent,
          critic: agent,
          reviser: agent,
          runId: 'run_taken',
        },
      ).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(review?.code).toBe('run_exists');
      expect(
        (await store.readSubject({ org, subject: 'run/run_taken' })).filter(
          (e) => e.type === 'cp.run.started',
        ),
      ).toHaveLength(1);
    });

    it('completes a run the caller stopped as cancelled', async () => {
      const org = nextOrg();
      const stop = new AbortController();
      const call: GovernedCall = async () => {
        stop.abort();
        return { text: 'Paris', costMicros: 1, requestId: 'r' };
      };
      const error = await failure(
        runConsensus(
          { store, call },
          {
            org,
            actor,
            messages: [{ role: 'user', content: 'q' }],
            n: 3,
            method: 'vote',
            threshold: 0.6,
            signal: stop.signal,
          },
        ),
      );
      expect(error.code).toBe('multi_agent_cancelled');
      const view = await readMultiAgentRun({ store, org, runId: String(error.context.runId) });
      expect(view).toMatchObject({ status: 'cancelled' });
    });

    it('fails the run when the judge cannot answer, keeping the agents it heard', async () => {
      const org = nextOrg();
      const call: GovernedCall = async (input) => {
        if (input.responseFormat?.type === 'json-schema') throw new Error('judge down');
        return { text: input.temperature === 1 ? 'Lyon' : 'Paris', costMicros: 1, requestId: 'r' };
      };
      const error = await failure(
        runConsensus(
          { store, call },
          {
            org,
            actor,
            messages: [{ role: 'user', content: 'q' }],
            n: 2,
            method: 'entropy',
            agents: [agent, { ...agent, temperature: 1 }],
            threshold: 0.6,
          },
        ),
      );
      expect(error.code).toBe('multi_agent_step_failed');
      const view = await readMultiAgentRun({ store, org, runId: String(error.context.runId) });
      expect(view).toMatchObject({ status: 'failed' });
      expect(view?.kind === 'consensus' && view.agents.map((a) => a.status)).toEqual([
        'answered',
        'answered',
      ]);
    });

    it("fails a review whose critic does not answer with a critique, ending every role's sub-run", async () => {
      const org = nextOrg();
      const call = scripted(['A draft.', 'not json at all']);
      const error = await failure(
        runAdversarialReview(
          { store, call },
          { org, actor, task: 'Write.', rounds: 2, drafter: agent, critic: agent, reviser: agent },
        ),
      );
      expect(error.code).toBe('multi_agent_step_failed');
      const runId = String(error.context.runId);
      const view = await readMultiAgentRun({ store, org, runId });
      expect(view).toMatchObject({ kind: 'adversarial-review', status: 'failed' });
      const children = view?.kind === 'adversarial-review' ? view.childRunIds : [];
      expect(children).toHaveLength(1);
      const roles = (await store.readOrg({ org })).filter(
        (e) => e.type === 'cp.run.completed' && e.subject !== `run/${runId}`,
      );
      expect(roles.map((e) => (e.data as { status: string }).status)).toEqual(['failed', 'failed']);
    });
  });
}
