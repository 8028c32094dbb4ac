import { type Actor, type AnyNewEvent, ConcurrencyError, type EventStore } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';
import { RunError } from '../runs/decider.js';
import {
  type CrossVendorRunCommand,
  type CrossVendorRunFact,
  type CrossVendorRunState,
  crossVendorRunDecider,
  initialCrossVendorRunState,
} from './run-decide.js';
import { caseRunId, judgeRunId, providerRunId } from './suite.js';

type Meta = { runId: string; parentRunId?: string };
interface Planned {
  subject: string;
  fact: Fact;
  meta: Meta;
}

/**
 * A cross-vendor run's record as its driver writes it. Decisions are taken on the run's state kept in
 * memory (the driver is the run's only writer) and evolved before the append, so concurrent cases never
 * decide on stale state; each fact lands on the subject of the run node it belongs to (the suite run,
 * a case, a provider, a judge), every one at the version last written there.
 */
export function crossVendorRunLog(options: { store: EventStore; org: string; runId: string; actor: Actor }) {
  const { store, org, runId, actor } = options;
  let state: CrossVendorRunState = initialCrossVendorRunState(runId);
  const versions = new Map<string, number>();

  const decide = (command: CrossVendorRunCommand): CrossVendorRunFact[] => {
    const facts = crossVendorRunDecider.decide(command, state);
    state = facts.reduce(crossVendorRunDecider.evolve, state);
    return facts;
  };

  const append = async (planned: Planned[]) => {
    const subjects = [...new Set(planned.map((p) => p.subject))];
    const appended = await store.append({
      org,
      events: planned.map((p) => ({ ...p.fact, subject: p.subject, actor, meta: p.meta }) as AnyNewEvent),
      expectedVersions: Object.fromEntries(subjects.map((s) => [s, versions.get(s) ?? 0])),
    });
    for (const event of appended) versions.set(event.subject, event.subjectVersion);
  };

  const run = (id: string) => `run/${id}`;
  const started = (id: string, name: string, parentRunId: string): Planned => ({
    subject: run(id),
    fact: { type: 'cp.run.started', data: { kind: 'cross-vendor', name: name.slice(0, 200) } },
    meta: { runId: id, parentRunId },
  });
  const ended = (id: string, status: 'succeeded' | 'failed', error?: string): Planned => ({
    subject: run(id),
    fact: {
      type: 'cp.run.completed',
      data: { status, ...(error ? { error: error.slice(0, 500) } : {}) },
    },
    meta: { runId: id },
  });

  return {
    state: () => state,
    async start(command: Extract<CrossVendorRunCommand, { type: 'start' }>) {
      const facts = decide(command);
      try {
        await append(facts.map((fact) => ({ subject: run(runId), fact, meta: { runId } })));
      } catch (error) {
        // Another process started the same derived id first (a schedule's tick seen twice).
        if (error instanceof ConcurrencyError)
          throw new RunError('run_exists', 'a run with this id already exists');
        throw error;
      }
    },
    /** The case's run and its providers' runs, nested under the suite run. */
    async openCase(caseIndex: number, label: string) {
      const caseId = caseRunId(runId, caseIndex);
      await append([
        started(caseId, label, runId),
        ...state.providers.map((p, i) =>
          started(providerRunId(runId, caseIndex, i), `${p.provider}/${p.model}`, caseId),
        ),
      ]);
    },
    /** One provider's answer, ending its run: failed when the provider or a gate refused. */
    async answer(command: Extract<CrossVendorRunCommand, { type: 'answer' }>) {
      const id = providerRunId(runId, command.caseIndex, command.providerIndex);
      const [fact] = decide(command);
      await append([
        { subject: run(id), fact: fact!, meta: { runId: id } },
        command.status === 'failed'
          ? ended(id, 'failed', command.error ?? 'the provider failed')
          : ended(id, 'succeeded'),
      ]);
    },
    /** The judge's run for a pair, under the first provider's run. */
    async openJudge(caseIndex: number, a: number, b: number, name: string) {
      await append([started(judgeRunId(runId, caseIndex, a, b), name, providerRunId(runId, caseIndex, a))]);
    },
    async closeJudge(caseIndex: number, a: number, b: number, error?: string) {
      const id = judgeRunId(runId, caseIndex, a, b);
      await append([error ? ended(id, 'failed', error) : ended(id, 'succeeded')]);
    },
    /** Every pair of a case compared, and the case's run ended, in one append. */
    async closeCase(caseIndex: number, compares: Extract<CrossVendorRunCommand, { type: 'compare' }>[]) {
      const caseId = caseRunId(runId, caseIndex);
      const facts = compares.flatMap(decide);
      await append([
        ...facts.map((fact) => ({ subject: run(caseId), fact, meta: { runId: caseId } })),
        ended(caseId, 'succeeded'),
      ]);
    },
    async complete() {
      const facts = decide({ type: 'complete' });
      await append(facts.map((fact) => ({ subject: run(runId), fact, meta: { runId } })));
    },
    /** Ends the suite run as failed after an error the driver could not record otherwise. */
    async fail(error: string) {
      await append([ended(runId, 'failed', error)]).catch(() => {});
    },
  };
}

export type CrossVendorRunLog = ReturnType<typeof crossVendorRunLog>;
