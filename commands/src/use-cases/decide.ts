import type { Decider } from '../kit/decider.js';
import { UseCaseError } from './errors.js';
import { USE_CASE_FACT_TYPES, type UseCaseFact, type UseCaseIntake, type UseCaseStatus } from './facts.js';
import { changedFields, checkAnnexArea, checkIntake, isMaterial } from './intake-rules.js';
import { evolveUseCase, initialUseCaseState, type UseCaseState } from './state.js';

/** Who asks: the actor id, and whether their role may review (admin or owner). */
export interface UseCaseRequester {
  id: string;
  reviewer: boolean;
}

export type UseCaseCommand =
  | {
      type: 'register';
      useCaseId: string;
      fields: UseCaseIntake;
      /** Looked up by the caller: whether `fields.ownerId` is a member of the org. */
      ownerIsMember: boolean;
      by: UseCaseRequester;
    }
  | {
      type: 'update';
      useCaseId: string;
      values: Partial<UseCaseIntake>;
      /** Whether `values.ownerId`, when given, is a member of the org. */
      ownerIsMember: boolean;
      by: UseCaseRequester;
    }
  | {
      type: 'transition';
      useCaseId: string;
      to: UseCaseStatus;
      note?: string | undefined;
      by: UseCaseRequester;
    }
  | {
      type: 'record_suggestion';
      useCaseId: string;
      runId: string;
      skillVersion: string;
      tier: UseCaseIntake['riskTier'] & string;
      annexIIIAreas: string[];
      confidence: number;
    }
  | {
      type: 'confirm_tier';
      useCaseId: string;
      runId: string;
      /** Which of the suggested areas, for a high tier; the first suggested when not given. */
      annexIIIArea?: string | undefined;
      by: UseCaseRequester;
    };

/** The moves a person may ask for, and whether only a reviewer may. */
const MOVES: Record<string, { reviewer: boolean }> = {
  'draft>in_review': { reviewer: false },
  'in_review>draft': { reviewer: true },
  'in_review>approved': { reviewer: true },
  'approved>retired': { reviewer: true },
  // An abandoned or refused case is retired without being approved first.
  'draft>retired': { reviewer: true },
  'in_review>retired': { reviewer: true },
};

type Live = Exclude<UseCaseState, { status: 'none' }>;

/** An edit's events: the update, and on an approved case a material change sends it back to review. */
function edited(state: Live, useCaseId: string, values: Partial<UseCaseIntake>, by: string): UseCaseFact[] {
  const changed = changedFields(state.fields, values);
  if (changed.length === 0) return [];
  checkIntake({ ...state.fields, ...values });
  const changedValues = Object.fromEntries(changed.map((k) => [k, values[k]])) as Partial<UseCaseIntake>;
  const facts: UseCaseFact[] = [
    { type: 'cp.usecase.updated', data: { useCaseId, changed, values: changedValues, by } },
  ];
  if (state.status === 'approved' && isMaterial(changed))
    facts.push({
      type: 'cp.usecase.transitioned',
      data: { useCaseId, from: 'approved', to: 'in_review', reason: 'material_change', by },
    });
  return facts;
}

/**
 * An AI use case: registered as a draft, edited field by field (an edit that changes nothing records
 * nothing), submitted for review, sent back or approved by a reviewer who neither submitted nor edited
 * it during review, retired at the end. A material edit of an approved case (tier, Annex III area,
 * data categories, models) returns it to review. A tier suggestion is only recorded; the tier changes
 * when a person confirms it.
 */
export const useCaseDecider: Decider<UseCaseCommand, UseCaseState, UseCaseFact> = {
  initialState: initialUseCaseState,
  understands: (type) => (USE_CASE_FACT_TYPES as readonly string[]).includes(type),
  evolve: evolveUseCase,
  decide(command, state) {
    const { useCaseId } = command;
    if (command.type === 'register') {
      if (state.status !== 'none')
        throw new UseCaseError('usecase_exists', `use case ${useCaseId} already exists`);
      if (!command.ownerIsMember)
        throw new UseCaseError('usecase_invalid', 'ownerId: the owner must be a member of the org');
      checkIntake(command.fields);
      return [{ type: 'cp.usecase.registered', data: { useCaseId, ...command.fields } }];
    }
    if (state.status === 'none') throw new UseCaseError('usecase_not_found', `no use case ${useCaseId}`);
    if (state.status === 'retired')
      throw new UseCaseError('usecase_lifecycle', `use case ${useCaseId} is retired; it takes no changes`);
    switch (command.type) {
      case 'update': {
        if (
          command.values.ownerId !== undefined &&
          command.values.ownerId !== state.fields.ownerId &&
          !command.ownerIsMember
        )
          throw new UseCaseError('usecase_invalid', 'ownerId: the owner must be a member of the org');
        return edited(state, useCaseId, command.values, command.by.id);
      }
      case 'transition': {
        const { to, by } = command;
        const move = MOVES[`${state.status}>${to}`];
        if (!move)
          throw new UseCaseError(
            'usecase_lifecycle',
            `a ${state.status} use case cannot move to ${to}; allowed: draft → in_review → approved → retired, in_review → draft, and retiring from any status`,
          );
        if (move.reviewer && !by.reviewer)
          throw new UseCaseError('usecase_reviewer_only', `only an admin or owner may move a case to ${to}`);
        if (to === 'in_review' && state.fields.riskTier === null)
          throw new UseCaseError(
            'usecase_lifecycle',
            'set or confirm the EU AI Act risk tier before submitting the case for review',
          );
        if (to === 'approved' && state.fields.riskTier === null)
          throw new UseCaseError(
            'usecase_lifecycle',
            'the case has no risk tier; set or confirm one before approving',
          );
        if (to === 'approved' && state.fields.riskTier === 'prohibited')
          throw new UseCaseError(
            'usecase_lifecycle',
            'a prohibited practice (EU AI Act Art. 5) cannot be approved; change the tier with a reason or retire the case',
          );
        if (to === 'approved' && state.reviewAuthors.includes(by.id))
          throw new UseCaseError(
            'usecase_four_eyes',
            'you submitted or edited this case during its review; another admin or owner must approve it',
          );
        return [
          {
            type: 'cp.usecase.transitioned',
            data: {
              useCaseId,
              from: state.status,
              to,
              ...(command.note ? { note: command.note } : {}),
              reason: 'requested',
              by: by.id,
            },
          },
        ];
      }
      case 'record_suggestion': {
        const { runId, skillVersion, tier, annexIIIAreas, confidence } = command;
        if (state.suggestions[runId]) return [];
        return [
          {
            type: 'cp.usecase.tier_suggested',
            data: { useCaseId, runId, skillVersion, tier, annexIIIAreas, confidence },
          },
        ];
      }
      case 'confirm_tier': {
        const suggestion = state.suggestions[command.runId];
        if (!suggestion)
          throw new UseCaseError(
            'usecase_suggestion_not_found',
            `use case ${useCaseId} has no tier suggestion from run ${command.runId}`,
          );
        let annexIIIArea: string | null = null;
        if (suggestion.tier === 'high') {
          annexIIIArea = command.annexIIIArea ?? suggestion.annexIIIAreas[0] ?? null;
          if (annexIIIArea !== null) checkAnnexArea(annexIIIArea);
          if (annexIIIArea === null)
            throw new UseCaseError(
              'usecase_invalid',
              'annexIIIArea: the suggestion names no Annex III area; name the one that applies',
            );
        } else if (command.annexIIIArea !== undefined)
          throw new UseCaseError(
            'usecase_invalid',
            'annexIIIArea: only a high-risk tier names an Annex III area',
          );
        const { tier } = suggestion;
        if (
          suggestion.confirmed &&
          state.fields.riskTier === tier &&
          state.fields.annexIIIArea === annexIIIArea
        )
          return [];
        const changed = changedFields(state.fields, { riskTier: tier, annexIIIArea });
        const facts: UseCaseFact[] = [
          {
            type: 'cp.usecase.tier_confirmed',
            data: { useCaseId, runId: command.runId, tier, annexIIIArea, by: command.by.id },
          },
        ];
        if (state.status === 'approved' && isMaterial(changed))
          facts.push({
            type: 'cp.usecase.transitioned',
            data: {
              useCaseId,
              from: 'approved',
              to: 'in_review',
              reason: 'material_change',
              by: command.by.id,
            },
          });
        return facts;
      }
      default:
        return command satisfies never;
    }
  },
};
