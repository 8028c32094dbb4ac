import { isControlUid } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { getSkill } from '../skills/catalogue/index.js';
import { isDefaultMapping } from './default-mappings.js';
import { ComplianceError } from './errors.js';
import { OVERRIDE_EVENT_TYPES, type OverrideFact } from './facts.js';
import { evolveOverride, initialOverrideState, type OverrideAction, type OverrideState } from './state.js';

/** Who acts: an approval must come from a person other than the proposer. */
export interface OverrideActor {
  kind: 'user' | 'apikey' | 'device' | 'agent' | 'system';
  id: string;
}

export type OverrideCommand =
  | {
      type: 'propose';
      overrideId: string;
      skill: string;
      control: string;
      action: OverrideAction;
      reason: string;
      by: OverrideActor;
    }
  | { type: 'approve'; overrideId: string; note?: string; by: OverrideActor }
  | { type: 'reject'; overrideId: string; note?: string; by: OverrideActor };

function propose(
  command: Extract<OverrideCommand, { type: 'propose' }>,
  state: OverrideState,
): OverrideFact[] {
  if (state.status !== 'none')
    throw new ComplianceError('compliance_override_decided', `override ${command.overrideId} already exists`);
  if (!getSkill(command.skill))
    throw new ComplianceError('compliance_override_invalid', `no skill "${command.skill}" in the catalogue`);
  if (!isControlUid(command.control))
    throw new ComplianceError(
      'compliance_override_invalid',
      `no control "${command.control}" in the catalogue; uids read <FRAMEWORK-PREFIX>:<id>, e.g. EU-AI-ACT:Art.12`,
    );
  if (command.action === 'add' && isDefaultMapping(command.skill, command.control))
    throw new ComplianceError(
      'compliance_override_invalid',
      `${command.skill} already maps to ${command.control} out of the box; nothing to add`,
    );
  const { overrideId, skill, control, action, reason } = command;
  return [
    {
      type: 'cp.compliance.mapping.proposed',
      data: { overrideId, skill, control, action, reason, proposedBy: command.by.id },
    },
  ];
}

function pending(
  command: { overrideId: string },
  state: OverrideState,
): asserts state is Exclude<OverrideState, { status: 'none' }> {
  if (state.status === 'none')
    throw new ComplianceError(
      'compliance_override_not_found',
      `no override ${command.overrideId} in this org`,
    );
  if (state.status !== 'pending')
    throw new ComplianceError(
      'compliance_override_decided',
      `override ${command.overrideId} was already ${state.status}`,
    );
}

/** Decide a mapping override: proposed once, then approved by a second person or rejected, once. */
export function decideOverride(command: OverrideCommand, state: OverrideState): OverrideFact[] {
  switch (command.type) {
    case 'propose':
      return propose(command, state);
    case 'approve': {
      pending(command, state);
      if (command.by.kind !== 'user')
        throw new ComplianceError(
          'compliance_four_eyes',
          'an override is approved by a signed-in person, not an API key',
        );
      if (command.by.id === state.proposedBy)
        throw new ComplianceError(
          'compliance_four_eyes',
          'the proposer cannot approve their own override; another admin must',
        );
      const note = command.note !== undefined ? { note: command.note } : {};
      return [
        {
          type: 'cp.compliance.mapping.approved',
          data: { overrideId: command.overrideId, approvedBy: command.by.id, ...note },
        },
      ];
    }
    case 'reject': {
      pending(command, state);
      const note = command.note !== undefined ? { note: command.note } : {};
      return [
        {
          type: 'cp.compliance.mapping.rejected',
          data: { overrideId: command.overrideId, rejectedBy: command.by.id, ...note },
        },
      ];
    }
    default:
      return command satisfies never;
  }
}

const understood = new Set<string>(OVERRIDE_EVENT_TYPES);

export const overrideDecider: Decider<OverrideCommand, OverrideState, OverrideFact> = {
  decide: decideOverride,
  evolve: evolveOverride,
  initialState: initialOverrideState,
  understands: (type) => understood.has(type),
};
