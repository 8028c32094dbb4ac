import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { QualityJudgeError } from './errors.js';

type RunFact = Fact<
  'cp.skill.invoked' | 'cp.skill.output.accepted' | 'cp.run.completed' | 'cp.quality.l4.judged'
>;

/** What the judge needs to know of a skill run: its skill, the hashes it recorded, whether it was sampled. */
export interface JudgedRunState {
  skill: string | null;
  inputSha256: string | null;
  outputSha256: string | null;
  sampled: boolean;
}

export type RecordVerdict = {
  type: 'record';
  judged: Fact<'cp.quality.l4.judged'>['data'];
};

/**
 * The L4 verdict on a skill run's own subject (`run/<id>`): only a skill run with an accepted answer is
 * judged, only that answer (its SHA-256 must be the run's), and the sampling loop judges a run once, so a
 * sampled verdict that a second process also reached records nothing. On-demand verdicts may repeat; the
 * latest one is the run's.
 */
export const judgedRunDecider: Decider<RecordVerdict, JudgedRunState, RunFact> = {
  initialState: () => ({ skill: null, inputSha256: null, outputSha256: null, sampled: false }),
  understands: (type) =>
    type === 'cp.skill.invoked' ||
    type === 'cp.skill.output.accepted' ||
    type === 'cp.run.completed' ||
    type === 'cp.quality.l4.judged',
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.skill.invoked':
        return { ...state, skill: fact.data.skillId, inputSha256: fact.data.inputSha256 };
      case 'cp.skill.output.accepted':
        return { ...state, outputSha256: fact.data.outputSha256 };
      case 'cp.run.completed':
        return state;
      case 'cp.quality.l4.judged':
        return fact.data.source === 'sampled' ? { ...state, sampled: true } : state;
      default:
        return fact satisfies never;
    }
  },
  decide(command, state) {
    const { judged } = command;
    if (state.skill === null || state.outputSha256 === null)
      throw new QualityJudgeError(
        'quality_run_not_judgeable',
        'the run is not a skill run with an accepted answer',
      );
    if (judged.outputSha256 !== state.outputSha256)
      throw new QualityJudgeError(
        'quality_output_mismatch',
        'the output judged is not the one the run recorded',
      );
    if (judged.source === 'sampled' && state.sampled) return [];
    return [{ type: 'cp.quality.l4.judged', data: { ...judged, skill: state.skill } }];
  },
};
