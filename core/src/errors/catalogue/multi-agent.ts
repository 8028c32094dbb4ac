import { errorSection } from '../entry.js';

/**
 * Multi-agent primitives (`commands/src/multi-agent`, docs/multi-agent.md): too few agents answered, an
 * unknown run, a pick on a run that waits for nobody. A gate's refusal of one agent's call is recorded on
 * the run and counts as that agent failing.
 */
export const multiAgentErrors = errorSection('api.md#multi-agent', {
  multi_agent_quorum_not_met: { status: 502, title: 'Fewer agents answered than the quorum needs' },
  multi_agent_run_not_found: { status: 404, title: 'No multi-agent run with this id' },
  multi_agent_not_escalated: { status: 409, title: 'The consensus run is not waiting for a person' },
  multi_agent_cancelled: { status: 409, title: 'The multi-agent run was cancelled' },
  multi_agent_step_failed: { status: 502, title: 'A review role or the judge did not produce its output' },
});
