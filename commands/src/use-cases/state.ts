import type { UseCaseFact, UseCaseIntake, UseCaseStatus, UseCaseTier } from './facts.js';

export interface TierSuggestion {
  tier: UseCaseTier;
  annexIIIAreas: readonly string[];
  confidence: number;
  confirmed: boolean;
}

export type UseCaseState =
  | { status: 'none' }
  | {
      status: UseCaseStatus;
      fields: UseCaseIntake;
      /**
       * Who submitted the case for review and who edited it while in review: none of them may approve
       * it (four eyes). Emptied when the case leaves review.
       */
      reviewAuthors: readonly string[];
      /** Tier suggestions by the skill run that made them. */
      suggestions: Readonly<Record<string, TierSuggestion>>;
    };

export const initialUseCaseState = (): UseCaseState => ({ status: 'none' });

const withAuthor = (authors: readonly string[], by: string) =>
  authors.includes(by) ? authors : [...authors, by];

export function evolveUseCase(state: UseCaseState, fact: UseCaseFact): UseCaseState {
  if (fact.type === 'cp.usecase.registered') {
    const { useCaseId: _, ...fields } = fact.data;
    return { status: 'draft', fields, reviewAuthors: [], suggestions: {} };
  }
  if (state.status === 'none') return state;
  switch (fact.type) {
    case 'cp.usecase.updated':
      return {
        ...state,
        fields: { ...state.fields, ...fact.data.values },
        reviewAuthors:
          state.status === 'in_review' ? withAuthor(state.reviewAuthors, fact.data.by) : state.reviewAuthors,
      };
    case 'cp.usecase.transitioned':
      return {
        ...state,
        status: fact.data.to,
        reviewAuthors: fact.data.to === 'in_review' ? withAuthor(state.reviewAuthors, fact.data.by) : [],
      };
    case 'cp.usecase.tier_suggested': {
      const { runId, tier, annexIIIAreas, confidence } = fact.data;
      return {
        ...state,
        suggestions: { ...state.suggestions, [runId]: { tier, annexIIIAreas, confidence, confirmed: false } },
      };
    }
    case 'cp.usecase.tier_confirmed': {
      const { runId, tier, annexIIIArea } = fact.data;
      const suggestion = state.suggestions[runId];
      return {
        ...state,
        fields: { ...state.fields, riskTier: tier, annexIIIArea },
        reviewAuthors:
          state.status === 'in_review' ? withAuthor(state.reviewAuthors, fact.data.by) : state.reviewAuthors,
        suggestions: suggestion
          ? { ...state.suggestions, [runId]: { ...suggestion, confirmed: true } }
          : state.suggestions,
      };
    }
    default:
      return fact satisfies never;
  }
}
