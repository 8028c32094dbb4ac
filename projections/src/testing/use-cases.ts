import type { NewEvent } from '@proofpane/core';
import { callCompleted } from './events.js';

const user = { kind: 'user' as const, id: 'usr_1' };
const reviewer = { kind: 'user' as const, id: 'usr_2' };

/**
 * One use case's life for read-model specs: registered, edited, submitted, approved, a tier suggested
 * by a skill run that names the case (with a call under it) and confirmed, which re-opens review.
 */
export function useCaseLife(useCaseId: string): NewEvent[] {
  const subject = `usecase/${useCaseId}`;
  const runId = `run_${useCaseId}`;
  const area = 'EU-AI-ACT:AnnexIII.4';
  return [
    {
      type: 'cp.usecase.registered',
      subject,
      actor: user,
      data: {
        useCaseId,
        name: `Case ${useCaseId}`,
        purpose: 'Ranks applicants',
        ownerId: 'usr_1',
        businessUnit: 'People',
        usersAffected: 'Applicants',
        dataCategories: ['personal'],
        models: [],
        autonomy: 'assistive',
        deploymentContext: 'internal',
        riskTier: 'limited',
        annexIIIArea: null,
      },
    },
    {
      type: 'cp.usecase.updated',
      subject,
      actor: user,
      data: { useCaseId, changed: ['name'], values: { name: `Renamed ${useCaseId}` }, by: 'usr_1' },
    },
    {
      type: 'cp.usecase.transitioned',
      subject,
      actor: user,
      data: { useCaseId, from: 'draft', to: 'in_review', reason: 'requested', by: 'usr_1' },
    },
    {
      type: 'cp.usecase.transitioned',
      subject,
      actor: reviewer,
      data: { useCaseId, from: 'in_review', to: 'approved', reason: 'requested', by: 'usr_2' },
    },
    {
      type: 'cp.run.started',
      subject: `run/${runId}`,
      actor: user,
      meta: { runId },
      data: { kind: 'skill', name: 'risk.eu_ai_act_tier', useCaseId },
    },
    callCompleted({ id: `${useCaseId}_call`, costMicros: 1_250, runId }),
    {
      type: 'cp.run.completed',
      subject: `run/${runId}`,
      actor: user,
      meta: { runId },
      data: { status: 'succeeded' },
    },
    {
      type: 'cp.usecase.tier_suggested',
      subject,
      actor: user,
      data: { useCaseId, runId, skillVersion: '1.0.0', tier: 'high', annexIIIAreas: [area], confidence: 0.7 },
    },
    {
      type: 'cp.usecase.tier_confirmed',
      subject,
      actor: user,
      data: { useCaseId, runId, tier: 'high', annexIIIArea: area, by: 'usr_1' },
    },
    {
      type: 'cp.usecase.transitioned',
      subject,
      actor: user,
      data: { useCaseId, from: 'approved', to: 'in_review', reason: 'material_change', by: 'usr_1' },
    },
  ];
}
