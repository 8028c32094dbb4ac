import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { DocumentError } from './errors.js';
import type { DocumentFact, DocumentSettingsFact } from './facts.js';

export type DocumentCommand =
  | { type: 'upload'; document: EventData<'cp.usecase.document.uploaded'> }
  | { type: 'delete'; documentId: string; useCaseId: string };

export type DocumentState =
  | { status: 'none' }
  | { status: 'uploaded' | 'deleted'; useCaseId: string; chunks: number };

/**
 * A document of a use case: uploaded once under its id, deleted once, and only through the case it
 * belongs to (a delete naming another case finds nothing, as a missing document does).
 */
export const documentDecider: Decider<DocumentCommand, DocumentState, DocumentFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) => type === 'cp.usecase.document.uploaded' || type === 'cp.usecase.document.deleted',
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.usecase.document.uploaded':
        return { status: 'uploaded', useCaseId: fact.data.useCaseId, chunks: fact.data.chunks };
      case 'cp.usecase.document.deleted':
        return state.status === 'none' ? state : { ...state, status: 'deleted' };
      default: {
        const never: never = fact;
        return never;
      }
    }
  },
  decide(command, state) {
    if (command.type === 'upload') {
      if (state.status !== 'none')
        throw new DocumentError('document_exists', `document ${command.document.documentId} already exists`);
      return [{ type: 'cp.usecase.document.uploaded', data: command.document }];
    }
    if (state.status !== 'uploaded' || state.useCaseId !== command.useCaseId)
      throw new DocumentError(
        'document_not_found',
        `use case ${command.useCaseId} has no document ${command.documentId}`,
      );
    return [
      {
        type: 'cp.usecase.document.deleted',
        data: { documentId: command.documentId, useCaseId: command.useCaseId, chunks: state.chunks },
      },
    ];
  },
};

export type DocumentSettingsCommand = {
  type: 'choose';
  provider: EventData<'cp.usecase.document.embedder.chosen'>['provider'];
  model: string;
};
export type DocumentSettingsState = { provider: string; model: string } | undefined;

/** The org's embedder: choosing the one already chosen records nothing. */
export const documentSettingsDecider: Decider<
  DocumentSettingsCommand,
  DocumentSettingsState,
  DocumentSettingsFact
> = {
  initialState: () => undefined,
  understands: (type) => type === 'cp.usecase.document.embedder.chosen',
  evolve: (_state, fact) => ({ provider: fact.data.provider, model: fact.data.model }),
  decide(command, state) {
    if (state && state.provider === command.provider && state.model === command.model) return [];
    return [
      {
        type: 'cp.usecase.document.embedder.chosen',
        data: { provider: command.provider, model: command.model },
      },
    ];
  },
};
