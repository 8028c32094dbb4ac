import { errorSection } from '../entry.js';

/**
 * Workflow runs (`commands/src/workflow-runs`, docs/workflow-engine.md): transitions the run decider
 * refuses because another worker holds the run or the step is no longer in progress, and the codes an
 * `mcp_call` step fails with.
 */
export const workflowRunErrors = errorSection('api.md#workflow-runs', {
  workflow_not_published: { status: 409, title: 'The workflow has no published version to run' },
  run_input_invalid: { status: 400, title: "The run input fails the trigger's input schema" },
  hook_signature_invalid: { status: 401, title: 'The webhook signature does not verify' },
  hook_replayed: { status: 409, title: 'The webhook delivery was already received' },
  run_leased: { status: 409, title: 'Another worker holds the run' },
  step_not_active: { status: 409, title: 'The step is not in progress at that attempt' },
  mcp_server_not_published: { status: 409, title: "The MCP server is not published in the org's registry" },
  mcp_tool_not_offered: { status: 404, title: 'The MCP server does not offer the tool' },
  mcp_server_unreachable: { status: 502, title: 'The MCP server could not be reached' },
  mcp_tool_failed: { status: 502, title: 'The MCP tool answered with an error' },
  sandbox_unavailable: { status: 503, title: 'No sandbox can confine the command here' },
});
