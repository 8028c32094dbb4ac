import { ANNEX_III_AREA_UIDS } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { type UseCaseCommand, useCaseDecider } from './decide.js';
import { UseCaseError } from './errors.js';
import type { UseCaseFact, UseCaseIntake } from './facts.js';

const spec = deciderSpec(useCaseDecider);
const useCaseId = 'uc_1';
const alice = { id: 'usr_alice', reviewer: false };
const bob = { id: 'usr_bob', reviewer: true };
const carol = { id: 'usr_carol', reviewer: true };
const employment = 'EU-AI-ACT:AnnexIII.4';

const fields: UseCaseIntake = {
  name: 'CV screening',
  purpose: 'Rank applicants before a recruiter reads them',
  ownerId: 'usr_alice',
  businessUnit: 'HR',
  usersAffected: 'Job applicants',
  dataCategories: ['personal'],
  models: [{ vendor: 'anthropic', model: 'claude-sonnet-4-5' }],
  autonomy: 'assistive',
  deploymentContext: 'internal',
  riskTier: 'limited',
  annexIIIArea: null,
};

const registered: UseCaseFact = { type: 'cp.usecase.registered', data: { useCaseId, ...fields } };
const moved = (
  from: 'draft' | 'in_review' | 'approved',
  to: 'draft' | 'in_review' | 'approved' | 'retired',
  by: string,
  reason: 'requested' | 'material_change' = 'requested',
): UseCaseFact => ({ type: 'cp.usecase.transitioned', data: { useCaseId, from, to, reason, by } });
const submitted = moved('draft', 'in_review', alice.id);
const approved = moved('in_review', 'approved', bob.id);

const register = (over: Partial<UseCaseIntake> = {}, ownerIsMember = true): UseCaseCommand => ({
  type: 'register',
  useCaseId,
  fields: { ...fields, ...over },
  ownerIsMember,
  by: alice,
});
const update = (values: Partial<UseCaseIntake>, by = alice, ownerIsMember = true): UseCaseCommand => ({
  type: 'update',
  useCaseId,
  values,
  ownerIsMember,
  by,
});
const transition = (to: 'draft' | 'in_review' | 'approved' | 'retired', by: typeof alice, note?: string) =>
  ({ type: 'transition', useCaseId, to, by, ...(note ? { note } : {}) }) as UseCaseCommand;
const suggested: UseCaseFact = {
  type: 'cp.usecase.tier_suggested',
  data: {
    useCaseId,
    runId: 'run_s',
    skillVersion: '1.0.0',
    tier: 'high',
    annexIIIAreas: [employment],
    confidence: 0.8,
  },
};

const refused = (code: string, status: number) => (error: unknown) =>
  error instanceof UseCaseError && error.code === code && error.status === status;

describe('use-case intake', () => {
  it('registers a draft with every intake field', () => {
    spec.given([]).when(register()).then([registered]);
  });

  it('refuses an owner who is not a member of the org', () => {
    spec.given([]).when(register({}, false)).thenThrows(refused('usecase_invalid', 400));
  });

  it('refuses "none" combined with another data category', () => {
    spec
      .given([])
      .when(register({ dataCategories: ['none', 'health'] }))
      .thenThrows(refused('usecase_invalid', 400));
  });

  it('requires the Annex III area for a high tier, and only for it', () => {
    spec
      .given([])
      .when(register({ riskTier: 'high' }))
      .thenThrows(refused('usecase_invalid', 400));
    spec
      .given([])
      .when(register({ riskTier: 'minimal', annexIIIArea: employment }))
      .thenThrows(refused('usecase_invalid', 400));
    spec
      .given([])
      .when(register({ riskTier: 'high', annexIIIArea: 'EU-AI-ACT:Art.5' }))
      .thenThrows(refused('usecase_invalid', 400));
  });

  it('takes its Annex III areas from the control catalogue', () => {
    expect(ANNEX_III_AREA_UIDS).toHaveLength(8);
    expect(ANNEX_III_AREA_UIDS).toContain(employment);
  });

  it('refuses a second registration of the same id', () => {
    spec.given([registered]).when(register()).thenThrows(refused('usecase_exists', 409));
  });
});

describe('use-case edits', () => {
  it('records only the fields that really change, by name', () => {
    spec
      .given([registered])
      .when(update({ name: 'CV screening', businessUnit: 'People' }))
      .then([
        {
          type: 'cp.usecase.updated',
          data: { useCaseId, changed: ['businessUnit'], values: { businessUnit: 'People' }, by: alice.id },
        },
      ]);
  });

  it('records nothing for an edit that changes nothing', () => {
    spec
      .given([registered])
      .when(update({ name: fields.name, models: [...fields.models] }))
      .then([]);
  });

  it('sends an approved case back to review on a material change, not on a cosmetic one', () => {
    spec
      .given([registered, submitted, approved])
      .when(update({ dataCategories: ['personal', 'health'] }))
      .then([
        {
          type: 'cp.usecase.updated',
          data: {
            useCaseId,
            changed: ['dataCategories'],
            values: { dataCategories: ['personal', 'health'] },
            by: alice.id,
          },
        },
        moved('approved', 'in_review', alice.id, 'material_change'),
      ]);
    spec
      .given([registered, submitted, approved])
      .when(update({ purpose: 'Rank applicants, with a recruiter reading every one' }))
      .then([
        {
          type: 'cp.usecase.updated',
          data: {
            useCaseId,
            changed: ['purpose'],
            values: { purpose: 'Rank applicants, with a recruiter reading every one' },
            by: alice.id,
          },
        },
      ]);
  });

  it('refuses changes to a retired case', () => {
    spec
      .given([registered, submitted, approved, moved('approved', 'retired', bob.id)])
      .when(update({ name: 'Other' }))
      .thenThrows(refused('usecase_lifecycle', 409));
  });
});

describe('use-case lifecycle', () => {
  it('needs a tier before review', () => {
    spec
      .given([{ type: 'cp.usecase.registered', data: { useCaseId, ...fields, riskTier: null } }])
      .when(transition('in_review', alice))
      .thenThrows(refused('usecase_lifecycle', 409));
  });

  it('submits, and a different reviewer approves with a note', () => {
    spec.given([registered]).when(transition('in_review', alice)).then([submitted]);
    spec
      .given([registered, submitted])
      .when(transition('approved', bob, 'looks fine'))
      .then([
        {
          type: 'cp.usecase.transitioned',
          data: {
            useCaseId,
            from: 'in_review',
            to: 'approved',
            note: 'looks fine',
            reason: 'requested',
            by: bob.id,
          },
        },
      ]);
  });

  it('refuses the submitter as approver (four eyes)', () => {
    spec
      .given([registered, moved('draft', 'in_review', bob.id)])
      .when(transition('approved', bob))
      .thenThrows(refused('usecase_four_eyes', 409));
  });

  it('refuses a reviewer who edited the case during its review', () => {
    const edit: UseCaseFact = {
      type: 'cp.usecase.updated',
      data: { useCaseId, changed: ['name'], values: { name: 'x' }, by: carol.id },
    };
    spec
      .given([registered, submitted, edit])
      .when(transition('approved', carol))
      .thenThrows(refused('usecase_four_eyes', 409));
    spec
      .given([registered, submitted, edit])
      .when(transition('approved', bob))
      .then([
        {
          type: 'cp.usecase.transitioned',
          data: { useCaseId, from: 'in_review', to: 'approved', reason: 'requested', by: bob.id },
        },
      ]);
  });

  it('lets only reviewers approve, send back and retire', () => {
    spec
      .given([registered, moved('draft', 'in_review', carol.id)])
      .when(transition('approved', alice))
      .thenThrows(refused('usecase_reviewer_only', 403));
    spec
      .given([registered, submitted])
      .when(transition('draft', bob))
      .then([moved('in_review', 'draft', bob.id)]);
  });

  it('retires an approved case, by a reviewer', () => {
    spec
      .given([registered, submitted, approved])
      .when(transition('retired', carol, 'replaced by a new vendor'))
      .then([
        {
          type: 'cp.usecase.transitioned',
          data: {
            useCaseId,
            from: 'approved',
            to: 'retired',
            note: 'replaced by a new vendor',
            reason: 'requested',
            by: carol.id,
          },
        },
      ]);
  });

  it('never approves a prohibited practice or a case without a tier', () => {
    const prohibited: UseCaseFact = {
      type: 'cp.usecase.updated',
      data: { useCaseId, changed: ['riskTier'], values: { riskTier: 'prohibited' }, by: alice.id },
    };
    spec
      .given([registered, prohibited, submitted])
      .when(transition('approved', bob))
      .thenThrows(refused('usecase_lifecycle', 409));
    const cleared: UseCaseFact = {
      type: 'cp.usecase.updated',
      data: { useCaseId, changed: ['riskTier'], values: { riskTier: null }, by: alice.id },
    };
    spec
      .given([registered, submitted, cleared])
      .when(transition('approved', bob))
      .thenThrows(refused('usecase_lifecycle', 409));
    spec
      .given([registered, prohibited, submitted])
      .when(transition('retired', bob))
      .then([moved('in_review', 'retired', bob.id)]);
  });

  it('refuses moves off the lifecycle', () => {
    spec.given([registered]).when(transition('approved', bob)).thenThrows(refused('usecase_lifecycle', 409));
    spec
      .given([registered, submitted, approved])
      .when(transition('draft', bob))
      .thenThrows(refused('usecase_lifecycle', 409));
    spec.given([]).when(transition('in_review', alice)).thenThrows(refused('usecase_not_found', 404));
  });
});

describe('tier suggestion and confirmation', () => {
  it('records a suggestion without changing the tier', () => {
    const state = [registered, suggested].reduce(useCaseDecider.evolve, useCaseDecider.initialState());
    expect(state.status !== 'none' && state.fields.riskTier).toBe('limited');
  });

  it('confirms a suggestion: the tier and its Annex III area become the case', () => {
    spec
      .given([registered, suggested])
      .when({ type: 'confirm_tier', useCaseId, runId: 'run_s', by: alice })
      .then([
        {
          type: 'cp.usecase.tier_confirmed',
          data: { useCaseId, runId: 'run_s', tier: 'high', annexIIIArea: employment, by: alice.id },
        },
      ]);
  });

  it('sends an approved case back to review when a confirmed tier changes it', () => {
    spec
      .given([registered, submitted, approved, suggested])
      .when({ type: 'confirm_tier', useCaseId, runId: 'run_s', by: carol })
      .then([
        {
          type: 'cp.usecase.tier_confirmed',
          data: { useCaseId, runId: 'run_s', tier: 'high', annexIIIArea: employment, by: carol.id },
        },
        moved('approved', 'in_review', carol.id, 'material_change'),
      ]);
  });

  it('refuses to confirm a suggestion the case does not have', () => {
    spec
      .given([registered])
      .when({ type: 'confirm_tier', useCaseId, runId: 'run_x', by: alice })
      .thenThrows(refused('usecase_suggestion_not_found', 409));
  });
});
