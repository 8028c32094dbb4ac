import type { OverrideFact } from './facts.js';

export type OverrideAction = 'add' | 'remove';
export type OverrideStatus = 'pending' | 'approved' | 'rejected';

export type OverrideState =
  | { status: 'none' }
  | {
      status: OverrideStatus;
      skill: string;
      control: string;
      action: OverrideAction;
      proposedBy: string;
    };

export const initialOverrideState = (): OverrideState => ({ status: 'none' });

export function evolveOverride(state: OverrideState, fact: OverrideFact): OverrideState {
  switch (fact.type) {
    case 'cp.compliance.mapping.proposed': {
      const { skill, control, action, proposedBy } = fact.data;
      return { status: 'pending', skill, control, action, proposedBy };
    }
    case 'cp.compliance.mapping.approved':
      return state.status === 'none' ? state : { ...state, status: 'approved' };
    case 'cp.compliance.mapping.rejected':
      return state.status === 'none' ? state : { ...state, status: 'rejected' };
    default:
      return fact satisfies never;
  }
}
