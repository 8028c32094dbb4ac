import { graphHash, type WorkflowFact } from './facts.js';
import type { WorkflowGraph } from './graph.js';

/** `draft` until a version is published, `published` from then on, `deprecated` at the end. */
export type WorkflowStatus = 'draft' | 'published' | 'deprecated';

export type WorkflowState =
  | { status: 'none' }
  | {
      status: WorkflowStatus;
      latest: { version: number; graph: WorkflowGraph; hash: string; published: boolean };
      publishedVersion?: number;
    };

export const initialWorkflowState = (): WorkflowState => ({ status: 'none' });

export function evolveWorkflow(state: WorkflowState, fact: WorkflowFact): WorkflowState {
  switch (fact.type) {
    case 'cp.workflow.created':
      return state;
    case 'cp.workflow.draft.saved': {
      const { version, graph } = fact.data;
      const latest = { version, graph, hash: graphHash(graph), published: false };
      return state.status === 'none' ? { status: 'draft', latest } : { ...state, latest };
    }
    case 'cp.workflow.published':
      if (state.status === 'none') return state;
      return {
        status: 'published',
        latest: {
          ...state.latest,
          published: state.latest.published || state.latest.version === fact.data.version,
        },
        publishedVersion: fact.data.version,
      };
    case 'cp.workflow.deprecated':
      return state.status === 'none' ? state : { ...state, status: 'deprecated' };
    default:
      return fact satisfies never;
  }
}
