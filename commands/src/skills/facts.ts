import type { Fact } from '../kit/fact.js';

/** The events of one skill run, all on its run's subject `run/<id>` (docs/runs.md). */
export type SkillRunFact = Fact<
  | 'cp.run.started'
  | 'cp.run.completed'
  | 'cp.skill.invoked'
  | 'cp.skill.output.rejected'
  | 'cp.skill.output.accepted'
  | 'cp.quality.l3.checked'
>;

export const runSubject = (runId: string) => `run/${runId}`;

/** A skill's first answer, and one repair after the validation errors were sent back. */
export const MAX_ANSWERS = 2;
