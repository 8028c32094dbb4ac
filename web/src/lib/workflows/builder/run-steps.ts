import type { WorkflowStepView } from '@proofpane/api';
import { usdFromMicros } from '$lib/format';

const ONE_LINE = 80;

/** A value on one line, cut to fit a node box; the full value stays in the steps table. */
export function oneLine(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.length > ONE_LINE ? `${text.slice(0, ONE_LINE - 1)}…` : text;
}

/** Each step's status, cost and output (or error) as a run's canvas lights its nodes. */
export function runStepStates(
  steps: readonly WorkflowStepView[],
): Record<string, { status: string; cost?: string; output?: string }> {
  return Object.fromEntries(
    steps.map((step) => {
      const output = step.error
        ? `${step.error.code}: ${step.error.message}`
        : step.output !== undefined
          ? oneLine(step.output)
          : step.outcome;
      return [
        step.nodeId,
        {
          status: step.status,
          ...(step.costMicros > 0 ? { cost: usdFromMicros(step.costMicros) } : {}),
          ...(output ? { output } : {}),
        },
      ];
    }),
  );
}
