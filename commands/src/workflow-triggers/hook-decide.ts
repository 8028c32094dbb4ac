import { CoreError, type EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

export type HookFact = Fact<
  'cp.workflow.hook.created' | 'cp.workflow.hook.revoked' | 'cp.workflow.hook.refused'
>;
export type HookRefusal = EventData<'cp.workflow.hook.refused'>['reason'];

export type HookCommand =
  | { type: 'create'; hookId: string; workflowId: string; tokenSha256: string }
  | { type: 'revoke'; hookId: string }
  /** A delivery refused at the door, for the record. */
  | { type: 'refuse'; hookId: string; reason: HookRefusal };

export type HookState = { status: 'none' } | { status: 'active' | 'revoked'; workflowId: string };

export const hookSubject = (hookId: string) => `workflow-hook/${hookId}`;

/** A webhook trigger's life: created once, revoked once (again is a no-op); refusals recorded while it exists. */
export const hookDecider: Decider<HookCommand, HookState, HookFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) => type.startsWith('cp.workflow.hook.'),
  decide(command, state) {
    switch (command.type) {
      case 'create':
        if (state.status !== 'none') throw new CoreError('conflict', `hook ${command.hookId} already exists`);
        return [
          {
            type: 'cp.workflow.hook.created',
            data: {
              hookId: command.hookId,
              workflowId: command.workflowId,
              tokenSha256: command.tokenSha256,
            },
          },
        ];
      case 'revoke':
        if (state.status === 'none') throw new CoreError('not_found', `no hook ${command.hookId}`);
        return state.status === 'revoked'
          ? []
          : [{ type: 'cp.workflow.hook.revoked', data: { hookId: command.hookId } }];
      case 'refuse':
        if (state.status === 'none') throw new CoreError('not_found', `no hook ${command.hookId}`);
        return [
          { type: 'cp.workflow.hook.refused', data: { hookId: command.hookId, reason: command.reason } },
        ];
      default:
        return command satisfies never;
    }
  },
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.workflow.hook.created':
        return { status: 'active', workflowId: fact.data.workflowId };
      case 'cp.workflow.hook.revoked':
        return state.status === 'none' ? state : { status: 'revoked', workflowId: state.workflowId };
      case 'cp.workflow.hook.refused':
        return state;
      default:
        return fact satisfies never;
    }
  },
};
