import type { UseCaseDetail } from '@proofpane/api';
import type { LiveUseCase } from '@proofpane/commands';

/** A folded case as `GET /api/use-cases/:id` shows it. */
export const useCaseDetailOf = (useCaseId: string, state: LiveUseCase, version: number): UseCaseDetail => ({
  id: useCaseId,
  status: state.status,
  ...state.fields,
  dataCategories: [...state.fields.dataCategories],
  models: state.fields.models.map((m) => ({ ...m })),
  reviewAuthors: [...state.reviewAuthors],
  suggestions: Object.entries(state.suggestions).map(([runId, s]) => ({
    runId,
    tier: s.tier,
    annexIIIAreas: [...s.annexIIIAreas],
    confidence: s.confidence,
    confirmed: s.confirmed,
  })),
  version,
});
