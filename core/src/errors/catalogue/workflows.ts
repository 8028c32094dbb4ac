import { errorSection } from '../entry.js';

/** Workflow definitions (`commands/src/workflows`, docs/workflows.md): graphs, versions, lifecycle, templates. */
export const workflowErrors = errorSection('api.md#workflows', {
  workflow_invalid: { status: 400, title: 'The workflow graph breaks a rule' },
  workflow_not_found: { status: 404, title: 'No workflow with this id in the org' },
  workflow_version_not_found: { status: 404, title: 'The workflow has no such version' },
  workflow_template_not_found: { status: 404, title: 'No workflow template with this id' },
  workflow_exists: { status: 409, title: 'A workflow with this id already exists' },
  workflow_lifecycle: { status: 409, title: "The workflow's status does not allow this step" },
});
