import type { SkillRunFact } from './facts.js';

/**
 * `other`: the run id belongs to a run that is not a skill's (a workflow, a gateway session).
 * `answers` counts the model's answers judged so far (rejected or accepted).
 */
export type SkillRunState =
  | { status: 'none' }
  | { status: 'other' }
  | { status: 'running'; skillId: string; answers: number }
  | { status: 'succeeded' | 'failed' | 'cancelled'; skillId: string; answers: number };

export const initialSkillRunState = (): SkillRunState => ({ status: 'none' });

export function evolveSkillRun(state: SkillRunState, fact: SkillRunFact): SkillRunState {
  switch (fact.type) {
    case 'cp.run.started':
      return state.status === 'none' ? { status: 'other' } : state;
    case 'cp.skill.invoked':
      return { status: 'running', skillId: fact.data.skillId, answers: 0 };
    case 'cp.skill.output.rejected':
    case 'cp.skill.output.accepted':
      return state.status === 'running' ? { ...state, answers: state.answers + 1 } : state;
    case 'cp.run.completed':
      return state.status === 'running' ? { ...state, status: fact.data.status } : state;
    case 'cp.quality.l3.checked':
      return state;
    default:
      return fact satisfies never;
  }
}
