import type { WorkflowStepView } from '@proofpane/api';

/** Where a kept output sits, as the step's `cp.workflow.step.completed` names it (decisions/0052). */
export const keptOutputRef = (runId: string, nodeId: string, attempt: number) =>
  `workflow-output/${runId}/${nodeId}/${attempt}`;

/**
 * The SHA-256 each step's completion event records for its kept output, by reference. The run page
 * sets these beside the side table's rows so an admin sees that the value still matches the log.
 */
export function recordedKeptSha256s(steps: readonly WorkflowStepView[]): Map<string, string> {
  const recorded = new Map<string, string>();
  for (const step of steps) {
    const kept = (step.output as { kept?: { ref?: unknown; sha256?: unknown } } | null | undefined)?.kept;
    if (typeof kept?.ref === 'string' && typeof kept.sha256 === 'string') recorded.set(kept.ref, kept.sha256);
  }
  return recorded;
}
