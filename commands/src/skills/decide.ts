import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { RunError } from '../runs/decider.js';
import { MAX_ANSWERS, type SkillRunFact } from './facts.js';
import { evolveSkillRun, initialSkillRunState, type SkillRunState } from './state.js';

/** What L3 found in an answer (docs/quality.md), recorded with the verdict on that answer. */
export type L3Findings = Omit<EventData<'cp.quality.l3.checked'>, 'requestId' | 'attempt'>;

export type SkillRunCommand =
  | ({ type: 'invoke'; useCaseId?: string | undefined } & EventData<'cp.skill.invoked'>)
  | {
      type: 'reject';
      requestId: string;
      errors: string[];
      l3?: L3Findings | undefined;
      /** The answer cited control ids the catalogue does not hold (a control-bearing skill). */
      unknownControls?: boolean | undefined;
    }
  | { type: 'accept'; requestId: string; outputSha256: string; l3?: L3Findings | undefined }
  | { type: 'end'; status: 'failed' | 'cancelled'; error: string };

/** Why a run failed when its repair did not help either. */
export const REPAIR_FAILED = "the answer did not match the skill's output schema after one repair";
/** Why a run failed when its answer still cited control ids the catalogue does not hold. */
export const UNKNOWN_CONTROL_FAILED =
  'the answer cited control ids the catalogue does not hold, after one repair';

const MAX_ERRORS = 20;
const MAX_ERROR_CHARS = 300;

/**
 * A skill run (docs/skills.md): invoked once on a fresh run id, then each answer judged in turn: the
 * first may be rejected and repaired once; a second rejection fails the run, an acceptance completes
 * it. The caller may end a running run as failed (a gate refused) or cancelled.
 */
export const skillRunDecider: Decider<SkillRunCommand, SkillRunState, SkillRunFact> = {
  initialState: initialSkillRunState,
  understands: (type) =>
    type === 'cp.run.started' || type === 'cp.run.completed' || type.startsWith('cp.skill.'),
  evolve: evolveSkillRun,
  decide(command, state) {
    if (command.type === 'invoke') {
      if (state.status !== 'none') throw new RunError('run_exists', 'a run with this id already exists');
      const { type: _, useCaseId, ...invoked } = command;
      return [
        {
          type: 'cp.run.started',
          data: { kind: 'skill', name: command.skillId, ...(useCaseId ? { useCaseId } : {}) },
        },
        { type: 'cp.skill.invoked', data: invoked },
      ];
    }
    if (state.status === 'none' || state.status === 'other')
      throw new RunError('run_not_found', 'no skill run with this id was started');
    if (state.status !== 'running') throw new RunError('run_finished', `the run already ${state.status}`);
    const attempt = state.answers + 1;
    // L3's findings travel in the same append as the verdict on the answer they concern.
    const checked: SkillRunFact[] =
      command.type !== 'end' && command.l3
        ? [{ type: 'cp.quality.l3.checked', data: { requestId: command.requestId, attempt, ...command.l3 } }]
        : [];
    switch (command.type) {
      case 'accept':
        return [
          ...checked,
          {
            type: 'cp.skill.output.accepted',
            data: { attempt, requestId: command.requestId, outputSha256: command.outputSha256 },
          },
          { type: 'cp.run.completed', data: { status: 'succeeded' } },
        ];
      case 'reject': {
        const errors = command.errors.slice(0, MAX_ERRORS).map((e) => e.slice(0, MAX_ERROR_CHARS));
        const rejected: SkillRunFact = {
          type: 'cp.skill.output.rejected',
          data: {
            attempt,
            requestId: command.requestId,
            errors: errors.length > 0 ? errors : ['(root): invalid'],
          },
        };
        const error = command.unknownControls ? UNKNOWN_CONTROL_FAILED : REPAIR_FAILED;
        return attempt < MAX_ANSWERS
          ? [...checked, rejected]
          : [...checked, rejected, { type: 'cp.run.completed', data: { status: 'failed', error } }];
      }
      case 'end':
        return [
          { type: 'cp.run.completed', data: { status: command.status, error: command.error.slice(0, 500) } },
        ];
      default:
        return command satisfies never;
    }
  },
};
