import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { type Decider, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { QualityJudgeError } from './errors.js';

type TriageFact = Fact<
  'cp.quality.triage.opened' | 'cp.quality.triage.assigned' | 'cp.quality.triage.resolved'
>;
export type TriageOpened = Fact<'cp.quality.triage.opened'>['data'];
export type TriageResolution = Fact<'cp.quality.triage.resolved'>['data']['resolution'];

/** One triage item per run: opening it again (a second process, a later flag) records nothing. */
export const triageSubject = (runId: string) => `quality-triage/${runId}`;
export const triageItemId = (runId: string) => `qt_${runId}`;
export const runOfTriageItem = (itemId: string) => (itemId.startsWith('qt_') ? itemId.slice(3) : null);

export type TriageState =
  | { status: 'none' }
  | { status: 'open' | 'assigned'; itemId: string; assignee: string | null }
  | { status: 'resolved'; itemId: string; assignee: string | null };

export type TriageCommand =
  | { type: 'open'; item: TriageOpened }
  | { type: 'assign'; assignee: string }
  | {
      type: 'resolve';
      resolution: TriageResolution;
      note: string;
      /** Who resolves, and whether their role lets them resolve any item (admin, owner). */
      by: string;
      privileged: boolean;
    };

/**
 * The triage item of one flagged run: opened once, assigned (and reassigned) while unresolved, resolved
 * once as a true positive, a false positive or fixed, with a note. Members read items; an admin assigns;
 * an admin, an owner or the item's assignee resolves.
 */
export const triageDecider: Decider<TriageCommand, TriageState, TriageFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) => type.startsWith('cp.quality.triage.'),
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.quality.triage.opened':
        return { status: 'open', itemId: fact.data.itemId, assignee: null };
      case 'cp.quality.triage.assigned':
        return state.status === 'none'
          ? state
          : { ...state, status: 'assigned', assignee: fact.data.assignee };
      case 'cp.quality.triage.resolved':
        return state.status === 'none' ? state : { ...state, status: 'resolved' };
      default:
        return fact satisfies never;
    }
  },
  decide(command, state) {
    if (command.type === 'open')
      return state.status === 'none' ? [{ type: 'cp.quality.triage.opened', data: command.item }] : [];
    if (state.status === 'none')
      throw new QualityJudgeError('quality_triage_not_found', 'no triage item with this id in the org');
    if (state.status === 'resolved')
      throw new QualityJudgeError(
        'quality_triage_resolved',
        `triage item ${state.itemId} is already resolved`,
      );
    if (command.type === 'assign')
      return state.assignee === command.assignee
        ? []
        : [
            {
              type: 'cp.quality.triage.assigned',
              data: { itemId: state.itemId, assignee: command.assignee },
            },
          ];
    if (!command.privileged && state.assignee !== command.by)
      throw new QualityJudgeError(
        'quality_triage_forbidden',
        'only an admin, an owner or the assignee resolves this item',
      );
    return [
      {
        type: 'cp.quality.triage.resolved',
        data: { itemId: state.itemId, resolution: command.resolution, note: command.note },
      },
    ];
  },
};

/** Decides and appends one triage command on the run's item. */
export function handleTriageCommand(options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  command: TriageCommand;
}): Promise<EventEnvelope[]> {
  return handleCommand({
    store: options.store,
    org: options.org,
    subject: triageSubject(options.runId),
    decider: triageDecider,
    command: options.command,
    actor: options.actor,
  });
}
