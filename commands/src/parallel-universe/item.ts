import { CoreError, type EventData, type ParallelUniverseErrorCode } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { PU_ITEM_FACT_TYPES, type PuItemFact } from './facts.js';

export type PuItemStatus =
  | 'none'
  | 'new'
  | 'triaged'
  | 'triage_failed'
  | 'promotion_pending'
  | 'promoted'
  | 'archived';

export interface PuItemState {
  status: PuItemStatus;
  discovered: EventData<'cp.pu.item.discovered'> | null;
  triage: EventData<'cp.pu.item.triaged'> | null;
  hitlRequestId: string | null;
}

export type PuItemCommand =
  | { type: 'discover'; item: EventData<'cp.pu.item.discovered'> }
  | { type: 'triage'; result: Omit<EventData<'cp.pu.item.triaged'>, 'itemId'> }
  | { type: 'fail-triage'; reason: string; runId: string; costMicros: number }
  | { type: 'request-promotion'; hitlRequestId: string }
  | { type: 'deny-promotion' }
  | { type: 'promote'; geneId?: string; sessionId?: string }
  | { type: 'archive'; staleAfterDays: number };

/** A refused move on an item; the server answers `pu_item_state` (409) or `pu_item_not_found` (404). */
export class PuItemError extends CoreError {
  constructor(
    override readonly code: ParallelUniverseErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}

const initial = (): PuItemState => ({ status: 'none', discovered: null, triage: null, hitlRequestId: null });

function evolve(state: PuItemState, fact: PuItemFact): PuItemState {
  switch (fact.type) {
    case 'cp.pu.item.discovered':
      return { ...state, status: 'new', discovered: fact.data };
    case 'cp.pu.item.triaged':
      return { ...state, status: 'triaged', triage: fact.data };
    case 'cp.pu.item.triage.failed':
      return { ...state, status: 'triage_failed' };
    case 'cp.pu.item.promotion.requested':
      return { ...state, status: 'promotion_pending', hitlRequestId: fact.data.hitlRequestId };
    case 'cp.pu.item.promotion.denied':
      return { ...state, status: 'triaged', hitlRequestId: null };
    case 'cp.pu.item.promoted':
      return { ...state, status: 'promoted' };
    case 'cp.pu.item.archived':
      return { ...state, status: 'archived' };
    default: {
      const never: never = fact;
      return never;
    }
  }
}

/**
 * An item's invariants: discovered once (a second sighting decides nothing: that is the dedupe), triaged
 * once, promoted only from a triage that proposed a gene or a coder goal and only through an approved
 * request, archived only when nothing is pending or done.
 */
function decide(command: PuItemCommand, state: PuItemState): PuItemFact[] {
  if (command.type === 'discover')
    return state.status === 'none' ? [{ type: 'cp.pu.item.discovered', data: command.item }] : [];
  if (state.status === 'none') throw new PuItemError('pu_item_not_found', 'no such item');
  const itemId = state.discovered!.itemId;
  const refuse = (why: string) => new PuItemError('pu_item_state', `the item is ${state.status}; ${why}`);
  switch (command.type) {
    case 'triage':
      if (state.status !== 'new') throw refuse('only a new item is triaged');
      return [{ type: 'cp.pu.item.triaged', data: { itemId, ...command.result } }];
    case 'fail-triage':
      if (state.status !== 'new') throw refuse('only a new item is triaged');
      return [
        {
          type: 'cp.pu.item.triage.failed',
          data: {
            itemId,
            reason: command.reason.slice(0, 300),
            runId: command.runId,
            costMicros: command.costMicros,
          },
        },
      ];
    case 'request-promotion': {
      if (state.status !== 'triaged') throw refuse('only a triaged item is promoted');
      const action = state.triage!.action;
      if (action === 'ignore') throw refuse('its triage proposed nothing to promote');
      return [
        {
          type: 'cp.pu.item.promotion.requested',
          data: { itemId, target: action, hitlRequestId: command.hitlRequestId },
        },
      ];
    }
    case 'deny-promotion':
      if (state.status !== 'promotion_pending') throw refuse('no promotion is pending');
      return [{ type: 'cp.pu.item.promotion.denied', data: { itemId, hitlRequestId: state.hitlRequestId! } }];
    case 'promote': {
      if (state.status !== 'promotion_pending') throw refuse('no promotion is pending');
      const target = state.triage!.action as 'gene' | 'coder';
      return [
        {
          type: 'cp.pu.item.promoted',
          data: {
            itemId,
            target,
            ...(command.geneId ? { geneId: command.geneId } : {}),
            ...(command.sessionId ? { sessionId: command.sessionId } : {}),
          },
        },
      ];
    }
    case 'archive':
      if (state.status === 'promoted' || state.status === 'archived' || state.status === 'promotion_pending')
        throw refuse('a promoted, pending or archived item is not archived');
      return [{ type: 'cp.pu.item.archived', data: { itemId, staleAfterDays: command.staleAfterDays } }];
    default: {
      const never: never = command;
      return never;
    }
  }
}

export const puItemDecider: Decider<PuItemCommand, PuItemState, PuItemFact> = {
  decide,
  evolve,
  initialState: initial,
  understands: (type) => (PU_ITEM_FACT_TYPES as readonly string[]).includes(type),
};
