import { type Actor, ConcurrencyError, type EventStore } from '@proofpane/core';
import { type Decider, foldSubject } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { runSubject } from './facts.js';

const ATTEMPTS = 3;

/**
 * One run's record as its runner writes it: each command decided on the run's state and appended at the
 * version it was decided on, the state kept between commands (a concurrent writer makes it read again).
 * Every event carries `meta.runId`; `cp.run.started` alone names the parent (docs/runs.md).
 */
export function runLog<C, S, F extends Fact>(options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  decider: Decider<C, S, F>;
  parentRunId?: string | undefined;
  /**
   * A run this writer starts: nothing to read first, its first append expects version 0 (a reused id is
   * refused by that append, then decided again on what the store holds).
   */
  fresh?: boolean;
}) {
  const { store, org, runId, actor, decider } = options;
  const subject = runSubject(runId);
  let folded: { state: S; version: number } | undefined = options.fresh
    ? { state: decider.initialState(), version: 0 }
    : undefined;
  const metaOf = (fact: F) =>
    fact.type === 'cp.run.started' && options.parentRunId
      ? { runId, parentRunId: options.parentRunId }
      : { runId };
  return {
    async record(command: C): Promise<F[]> {
      for (let attempt = 1; ; attempt++) {
        folded ??= await foldSubject({ store, org, subject, decider });
        const facts = decider.decide(command, folded.state);
        if (facts.length === 0) return facts;
        try {
          const appended = await store.append({
            org,
            events: facts.map((f) => ({ ...f, subject, actor, meta: metaOf(f) })) as never,
            expectedVersions: { [subject]: folded.version },
          });
          folded = {
            state: facts.reduce(decider.evolve, folded.state),
            version: appended.at(-1)?.subjectVersion ?? folded.version,
          };
          return facts;
        } catch (error) {
          folded = undefined;
          if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
        }
      }
    },
    state: (): S => folded?.state ?? decider.initialState(),
  };
}
