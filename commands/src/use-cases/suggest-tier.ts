import type { Actor, EventStore } from '@proofpane/core';
import type { GatewayCaller } from '../gateway/index.js';
import type { ProviderId } from '../providers/index.js';
import type { RunSkillRequest, SkillRunResult } from '../skills/run-skill.js';
import { UseCaseError } from './errors.js';
import type { UseCaseIntake, UseCaseTier } from './facts.js';
import { handleUseCaseCommand, loadUseCase } from './handlers.js';

export const TIER_SKILL_ID = 'risk.eu_ai_act_tier';

/** The skill's Annex III area names, as the control catalogue's uids. */
const AREA_UIDS: Record<string, string> = {
  biometrics: 'EU-AI-ACT:AnnexIII.1',
  critical_infrastructure: 'EU-AI-ACT:AnnexIII.2',
  education: 'EU-AI-ACT:AnnexIII.3',
  employment: 'EU-AI-ACT:AnnexIII.4',
  essential_services: 'EU-AI-ACT:AnnexIII.5',
  law_enforcement: 'EU-AI-ACT:AnnexIII.6',
  migration: 'EU-AI-ACT:AnnexIII.7',
  justice_democracy: 'EU-AI-ACT:AnnexIII.8',
};

/** The screening skill's input, written from the intake. */
export function tierSkillInput(fields: UseCaseIntake): Record<string, unknown> {
  const models = fields.models.map((m) => `${m.vendor}/${m.model}`).join(', ') || 'not named';
  return {
    systemName: fields.name,
    description: [
      fields.purpose,
      `Users affected: ${fields.usersAffected}.`,
      `Data categories: ${fields.dataCategories.join(', ')}.`,
      `Autonomy: ${fields.autonomy.replaceAll('_', ' ')}. Deployment: ${fields.deploymentContext.replaceAll('_', ' ')}.`,
      `Models: ${models}.`,
    ].join('\n'),
    role: 'deployer',
    sector: fields.businessUnit,
  };
}

export interface TierSuggestionOutcome {
  runId: string;
  tier: UseCaseTier;
  annexIIIAreas: string[];
  confidence: number;
  rationale: string;
  costMicros: number;
}

/**
 * Runs `risk.eu_ai_act_tier` on a case's intake as a governed skill run that names the case, and
 * records the answer as a suggestion (`cp.usecase.tier_suggested`). The tier stays as it was until a
 * person confirms the suggestion.
 */
export async function suggestUseCaseTier(options: {
  store: EventStore;
  runSkill: (request: RunSkillRequest) => Promise<SkillRunResult>;
  org: string;
  actor: Actor;
  caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
  useCaseId: string;
  provider?: ProviderId | undefined;
  model?: string | undefined;
}): Promise<TierSuggestionOutcome> {
  const { store, org, actor, useCaseId } = options;
  const loaded = await loadUseCase({ store, org, useCaseId });
  if (!loaded) throw new UseCaseError('usecase_not_found', `no use case ${useCaseId} in this org`);
  if (loaded.state.status === 'retired')
    throw new UseCaseError('usecase_lifecycle', `use case ${useCaseId} is retired; it takes no suggestion`);
  const result = await options.runSkill({
    org,
    actor,
    ...(options.caller ? { caller: options.caller } : {}),
    skillId: TIER_SKILL_ID,
    input: tierSkillInput(loaded.state.fields),
    useCaseId,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.model ? { model: options.model } : {}),
  });
  const output = result.output as {
    tier: UseCaseTier;
    annexIIIAreas?: string[];
    confidence?: number;
    rationale?: string;
  };
  const annexIIIAreas = (output.annexIIIAreas ?? []).flatMap((a) => (AREA_UIDS[a] ? [AREA_UIDS[a]] : []));
  const confidence = Math.min(1, Math.max(0, output.confidence ?? 0));
  await handleUseCaseCommand({
    store,
    org,
    actor,
    command: {
      type: 'record_suggestion',
      useCaseId,
      runId: result.runId,
      skillVersion: result.skillVersion,
      tier: output.tier,
      annexIIIAreas,
      confidence,
    },
  });
  return {
    runId: result.runId,
    tier: output.tier,
    annexIIIAreas,
    confidence,
    rationale: output.rationale ?? '',
    costMicros: result.costMicros,
  };
}
