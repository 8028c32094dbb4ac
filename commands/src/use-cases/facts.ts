import type { EventData } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';

/** The events of one AI use case, subject `usecase/<use case id>`. */
export type UseCaseFact = Fact<
  | 'cp.usecase.registered'
  | 'cp.usecase.updated'
  | 'cp.usecase.transitioned'
  | 'cp.usecase.tier_suggested'
  | 'cp.usecase.tier_confirmed'
>;

export const USE_CASE_FACT_TYPES: readonly UseCaseFact['type'][] = [
  'cp.usecase.registered',
  'cp.usecase.updated',
  'cp.usecase.transitioned',
  'cp.usecase.tier_suggested',
  'cp.usecase.tier_confirmed',
];

export const useCaseSubject = (useCaseId: string) => `usecase/${useCaseId}`;

/** Every intake field of a case, as registered and as an edit leaves it. */
export type UseCaseIntake = Omit<EventData<'cp.usecase.registered'>, 'useCaseId'>;
export type UseCaseStatus = EventData<'cp.usecase.transitioned'>['to'];
export type UseCaseTier = NonNullable<UseCaseIntake['riskTier']>;
