import { errorSection } from '../entry.js';

/** The workflow AI Builder (`commands/src/workflow-ai-builder`, docs/workflows.md#ai-builder). */
export const workflowAiBuilderErrors = errorSection('api.md#workflow-ai-builder', {
  workflow_patch_rejected: {
    status: 422,
    title:
      "The model's proposed change does not apply to the workflow or breaks a rule, again after one repair",
  },
});
