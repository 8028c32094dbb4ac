import { activityProjection } from './activity/projection.js';
import { agentRunsProjection } from './agent-runs/projection.js';
import { auditIndexProjection } from './audit-index/projection.js';
import { coderSessionsProjection } from './coder-sessions/projection.js';
import { complianceProjection } from './compliance/projection.js';
import { costProjection } from './cost/projection.js';
import { crossVendorEvalsProjection } from './cross-vendor-evals/projection.js';
import { evolutionProjection } from './evolution/projection.js';
import { puItemsProjection } from './pu-items/projection.js';
import { qualityDriftProjection } from './quality-drift/projection.js';
import { qualityTriageProjection } from './quality-triage/projection.js';
import type { Projection } from './runner/projection.js';
import { useCasesProjection } from './use-cases/projection.js';
import { workflowRunsProjection } from './workflow-runs/projection.js';

/** Every read model the server keeps, in the order the admin view lists them. */
export const defaultProjections: readonly Projection[] = [
  auditIndexProjection,
  costProjection,
  agentRunsProjection,
  workflowRunsProjection,
  complianceProjection,
  useCasesProjection,
  crossVendorEvalsProjection,
  qualityDriftProjection,
  evolutionProjection,
  qualityTriageProjection,
  activityProjection,
  coderSessionsProjection,
  puItemsProjection,
];
