import type { Assertion } from '../skills/assertions.js';
import type { EvolvableSkill } from './evolvable.js';

/** One input a replay asks both capsules, what a correct answer must satisfy, and the run it came from. */
export interface ReplayInput {
  name: string;
  input: unknown;
  assertions: readonly Assertion[];
  /** The skill run whose recorded, masked input this is; absent for an eval case. */
  runId?: string;
}

/** Where a replay takes its inputs, up to `limit` of them. */
export interface ReplayInputSource {
  inputs(options: { org: string; skill: EvolvableSkill; limit: number }): Promise<ReplayInput[]>;
}

/** A recorded run's input, DLP-masked as it was held; never the raw input. */
export interface RecordedInput {
  runId: string;
  input: unknown;
}

/** Reads up to `limit` recorded inputs of one skill in one org, newest first. */
export type RecordedInputReader = (options: {
  org: string;
  skill: string;
  limit: number;
}) => Promise<RecordedInput[]>;

export const evalCaseInputs: ReplayInputSource = {
  inputs: async ({ skill, limit }) =>
    skill.evalCases.slice(0, limit).map((c) => ({ name: c.name, input: c.input, assertions: c.assertions })),
};

/**
 * Real traffic first: the skill's recorded, masked inputs of the same org, then its eval cases to fill up
 * to `limit`. A recorded input carries no assertions (nobody wrote what its answer must hold), so the
 * judge ranks its answers on schema validity alone.
 */
export const recordedThenEvalCases = (read: RecordedInputReader): ReplayInputSource => ({
  async inputs({ org, skill, limit }) {
    const recorded = (await read({ org, skill: skill.id, limit })).slice(0, limit).map((r) => ({
      name: `run ${r.runId}`,
      input: r.input,
      assertions: [],
      runId: r.runId,
    }));
    const filler = await evalCaseInputs.inputs({ org, skill, limit: limit - recorded.length });
    return [...recorded, ...filler];
  },
});
