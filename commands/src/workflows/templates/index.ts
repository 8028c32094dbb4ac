import { auditControlTest } from './audit-control-test.js';
import { externalInbox } from './external-inbox.js';
import { intakeUseCase } from './intake-use-case.js';
import { monitoringIncident } from './monitoring-incident.js';
import { policyGapCheck } from './policy-gap-check.js';
import { riskEuAiAct } from './risk-eu-ai-act.js';
import type { WorkflowTemplate } from './template.js';
import { trainingRollout } from './training-rollout.js';
import { vendorOnboarding } from './vendor-onboarding.js';

export type { WorkflowTemplate } from './template.js';

/** The global template catalogue, in skill-category order. */
export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  intakeUseCase,
  riskEuAiAct,
  vendorOnboarding,
  policyGapCheck,
  monitoringIncident,
  auditControlTest,
  trainingRollout,
  externalInbox,
];

export const getWorkflowTemplate = (id: string): WorkflowTemplate | undefined =>
  WORKFLOW_TEMPLATES.find((t) => t.id === id);
