import { errorSection } from '../entry.js';

/**
 * Workflow runs (`commands/src/workflow-runs`, docs/workflow-engine.md): transitions the run decider
 * refuses because another worker holds the run or the step is no longer in progress.
 */
export const workflowRunErrors = errorSection('api.md#workflow-runs', {
  workflow_not_published: { status: 409, title: 'The workflow has no published version to run' },
  run_input_invalid: { status: 400, title: "The run input fails the trigger's input schema" },
  hook_signature_invalid: { status: 401, title: 'The webhook signature does not verify' },
  hook_replayed: { status: 409, title: 'The webhook delivery was already received' },
  run_leased: { status: 409, title: 'Another worker holds the run' },
  step_not_active: { status: 409, title: 'The step is not in progress at that attempt' },
});
