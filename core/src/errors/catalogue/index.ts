import type { ErrorEntry } from '../entry.js';
import { budgetErrors } from './budget.js';
import { coderErrors } from './coder.js';
import { complianceErrors } from './compliance.js';
import { crossVendorErrors } from './cross-vendor-evals.js';
import { documentErrors } from './documents.js';
import { evolutionErrors } from './evolution.js';
import { gatewayErrors } from './gateway.js';
import { hitlErrors } from './hitl.js';
import { identityErrors } from './identity.js';
import { integrationErrors } from './integrations.js';
import { multiAgentErrors } from './multi-agent.js';
import { parallelUniverseErrors } from './parallel-universe.js';
import { platformErrors, storeErrors } from './platform.js';
import { qualityErrors } from './quality.js';
import { qualityDriftErrors } from './quality-drift.js';
import { qualityJudgeErrors } from './quality-judge.js';
import { runErrors } from './runs.js';
import { skillErrors } from './skills.js';
import { useCaseErrors } from './use-cases.js';
import { workflowAiBuilderErrors } from './workflow-ai-builder.js';
import { workflowRunErrors } from './workflow-runs.js';
import { workflowErrors } from './workflows.js';

export {
  budgetErrors,
  coderErrors,
  complianceErrors,
  crossVendorErrors,
  documentErrors,
  evolutionErrors,
  gatewayErrors,
  hitlErrors,
  identityErrors,
  integrationErrors,
  multiAgentErrors,
  parallelUniverseErrors,
  platformErrors,
  qualityDriftErrors,
  qualityErrors,
  qualityJudgeErrors,
  runErrors,
  skillErrors,
  storeErrors,
  useCaseErrors,
  workflowAiBuilderErrors,
  workflowErrors,
  workflowRunErrors,
};

/**
 * Every error code Proofpane answers with, one section per capability (STYLE.md, "Errors"). problem+json
 * (`server/src/http`) and the vendors' error shapes (`server/src/gateway/vendor-errors.ts`) both render
 * from these entries; docs/api.md and docs/gateway.md list each code where its `docs` anchor points.
 */
export const errorCatalogue = {
  ...platformErrors,
  ...storeErrors,
  ...identityErrors,
  ...hitlErrors,
  ...gatewayErrors,
  ...budgetErrors,
  ...runErrors,
  ...workflowRunErrors,
  ...skillErrors,
  ...workflowErrors,
  ...workflowAiBuilderErrors,
  ...complianceErrors,
  ...multiAgentErrors,
  ...documentErrors,
  ...crossVendorErrors,
  ...useCaseErrors,
  ...qualityErrors,
  ...qualityDriftErrors,
  ...evolutionErrors,
  ...qualityJudgeErrors,
  ...integrationErrors,
  ...coderErrors,
  ...parallelUniverseErrors,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof errorCatalogue;
export type IdentityErrorCode = keyof typeof identityErrors;
export type HitlErrorCode = keyof typeof hitlErrors;
export type GatewayErrorCode = keyof typeof gatewayErrors | keyof typeof budgetErrors;
export type RunErrorCode = keyof typeof runErrors;
export type WorkflowRunErrorCode = keyof typeof workflowRunErrors;
export type SkillErrorCode = keyof typeof skillErrors;
export type WorkflowErrorCode = keyof typeof workflowErrors;
export type ComplianceErrorCode = keyof typeof complianceErrors;
export type MultiAgentErrorCode = keyof typeof multiAgentErrors;
export type CrossVendorErrorCode = keyof typeof crossVendorErrors;
export type UseCaseErrorCode = keyof typeof useCaseErrors;
export type DocumentErrorCode = keyof typeof documentErrors;
export type QualityErrorCode = keyof typeof qualityErrors;
export type QualityDriftErrorCode = keyof typeof qualityDriftErrors;
export type EvolutionErrorCode = keyof typeof evolutionErrors;
export type QualityJudgeErrorCode = keyof typeof qualityJudgeErrors;
export type IntegrationErrorCode = keyof typeof integrationErrors;
export type CoderErrorCode = keyof typeof coderErrors;
export type ParallelUniverseErrorCode = keyof typeof parallelUniverseErrors;

export const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCatalogue, code);

/** The sections, for specs that check every code is documented once and a code sits in one section only. */
export const errorSections = {
  platform: platformErrors,
  store: storeErrors,
  identity: identityErrors,
  hitl: hitlErrors,
  gateway: gatewayErrors,
  budget: budgetErrors,
  runs: runErrors,
  workflowRuns: workflowRunErrors,
  skills: skillErrors,
  workflows: workflowErrors,
  workflowAiBuilder: workflowAiBuilderErrors,
  compliance: complianceErrors,
  multiAgent: multiAgentErrors,
  crossVendor: crossVendorErrors,
  useCases: useCaseErrors,
  documents: documentErrors,
  quality: qualityErrors,
  qualityDrift: qualityDriftErrors,
  evolution: evolutionErrors,
  qualityJudge: qualityJudgeErrors,
  integrations: integrationErrors,
  coder: coderErrors,
  parallelUniverse: parallelUniverseErrors,
} as const;
