import { type Actor, ConcurrencyError, type EventStore, type InlineWrite } from '@proofpane/core';
import { foldSubject } from '../kit/decider.js';
import { type SkillRunCommand, skillRunDecider } from './decide.js';
import { runSubject, type SkillRunFact } from './facts.js';
import type { SkillRunState } from './state.js';

const ATTEMPTS = 3;

/**
 * One skill run's record, as its runner writes it: each command decided on the run's state and appended
 * at the version it was decided on. The runner is the run's only writer, so the state read once is kept
 * between commands; a concurrent writer makes it read again. Every event carries `meta.runId`, and
 * `cp.run.started` alone names the parent (docs/runs.md).
 */
export function skillRunLog(options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  parentRunId?: string | undefined;
}) {
  const { store, org, runId, actor } = options;
  const subject = runSubject(runId);
  let folded: { state: SkillRunState; version: number } | undefined;

  const metaOf = (fact: SkillRunFact) =>
    fact.type === 'cp.run.started' && options.parentRunId
      ? { runId, parentRunId: options.parentRunId }
      : { runId };

  return {
    /** `inline` writes rows that commit with the command's events, or not at all. */
    async record(command: SkillRunCommand, inline?: InlineWrite): Promise<SkillRunFact[]> {
      for (let attempt = 1; ; attempt++) {
        folded ??= await foldSubject({ store, org, subject, decider: skillRunDecider });
        const facts = skillRunDecider.decide(command, folded.state);
        try {
          const appended = await store.append({
            org,
            events: facts.map((f) => ({ ...f, subject, actor, meta: metaOf(f) })),
            expectedVersions: { [subject]: folded.version },
            ...(inline && facts.length > 0 ? { inline } : {}),
          });
          folded = {
            state: facts.reduce(skillRunDecider.evolve, folded.state),
            version: appended.at(-1)?.subjectVersion ?? folded.version,
          };
          return facts;
        } catch (error) {
          folded = undefined;
          if (!(error instanceof ConcurrencyError) || attempt >= ATTEMPTS) throw error;
        }
      }
    },
    state: (): SkillRunState => folded?.state ?? { status: 'none' },
  };
}
