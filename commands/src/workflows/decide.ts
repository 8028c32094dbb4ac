import type { Decider } from '../kit/decider.js';
import { WorkflowError, WorkflowInvalidError } from './errors.js';
import { graphHash, type WorkflowFact } from './facts.js';
import type { WorkflowGraph } from './graph.js';
import type { SkillLookup } from './node-outputs.js';
import { evolveWorkflow, initialWorkflowState, type WorkflowState } from './state.js';
import { validateWorkflowGraph } from './validate.js';

export type WorkflowCommand =
  | {
      type: 'create';
      workflowId: string;
      name: string;
      graph: WorkflowGraph;
      templateId?: string | undefined;
      /** The catalogue the graph's skill nodes are checked against. */
      skills: SkillLookup;
    }
  | { type: 'save'; workflowId: string; graph: WorkflowGraph; skills: SkillLookup }
  | { type: 'publish'; workflowId: string; skills: SkillLookup }
  | { type: 'deprecate'; workflowId: string };

function validated(graph: WorkflowGraph, skills: SkillLookup): WorkflowGraph {
  const problems = validateWorkflowGraph(graph, skills);
  if (problems.length > 0) throw new WorkflowInvalidError(problems);
  return graph;
}

/**
 * A workflow definition: created with its first draft; each save a new version (every version kept);
 * publish the latest draft, validated again against today's catalogue and known by its graph's hash;
 * deprecate once published. Saving the graph the latest version already holds records nothing, so a
 * retried save makes no second version.
 */
export const workflowDecider: Decider<WorkflowCommand, WorkflowState, WorkflowFact> = {
  initialState: initialWorkflowState,
  understands: (type) =>
    type === 'cp.workflow.created' ||
    type === 'cp.workflow.draft.saved' ||
    type === 'cp.workflow.published' ||
    type === 'cp.workflow.deprecated',
  evolve: evolveWorkflow,
  decide(command, state) {
    const { workflowId } = command;
    if (command.type === 'create') {
      if (state.status !== 'none')
        throw new WorkflowError('workflow_exists', `workflow ${workflowId} already exists`);
      const graph = validated(command.graph, command.skills);
      return [
        {
          type: 'cp.workflow.created',
          data: {
            workflowId,
            name: command.name,
            ...(command.templateId !== undefined ? { templateId: command.templateId } : {}),
          },
        },
        { type: 'cp.workflow.draft.saved', data: { workflowId, version: 1, graph } },
      ];
    }
    if (state.status === 'none') throw new WorkflowError('workflow_not_found', `no workflow ${workflowId}`);
    if (state.status === 'deprecated' && command.type !== 'deprecate')
      throw new WorkflowError(
        'workflow_lifecycle',
        `workflow ${workflowId} is deprecated; it takes no ${command.type}`,
      );
    switch (command.type) {
      case 'save': {
        const graph = validated(command.graph, command.skills);
        if (graphHash(graph) === state.latest.hash) return [];
        return [
          { type: 'cp.workflow.draft.saved', data: { workflowId, version: state.latest.version + 1, graph } },
        ];
      }
      case 'publish': {
        if (state.latest.published)
          throw new WorkflowError(
            'workflow_lifecycle',
            `version ${state.latest.version} is already published; save a new draft to publish again`,
          );
        validated(state.latest.graph, command.skills);
        return [
          {
            type: 'cp.workflow.published',
            data: { workflowId, version: state.latest.version, hash: state.latest.hash },
          },
        ];
      }
      case 'deprecate':
        if (state.status !== 'published')
          throw new WorkflowError(
            'workflow_lifecycle',
            `cannot deprecate a workflow that is ${state.status}; it must be published`,
          );
        return [{ type: 'cp.workflow.deprecated', data: { workflowId } }];
      default:
        return command satisfies never;
    }
  },
};
