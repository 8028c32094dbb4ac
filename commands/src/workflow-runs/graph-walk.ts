import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../workflows/graph.js';

/** What the walk needs to know of a step: settled (completed or failed) or still going, and its outcome. */
export interface StepMark {
  status: 'scheduled' | 'running' | 'waiting' | 'completed' | 'failed';
  outcome?: string | undefined;
}

/** Outcomes an edge without `when` follows: plain success, a condition either way, a person's approval. */
const SUCCESS_OUTCOMES = new Set<string | undefined>([undefined, 'true', 'false', 'approved']);

export const isSuccessOutcome = (outcome: string | undefined): boolean => SUCCESS_OUTCOMES.has(outcome);

/**
 * Whether an edge is followed once its source completed with `outcome`. A timeout follows `timeout`
 * edges, or `denied` ones when the node has no `timeout` edge: not deciding in time is a denial.
 */
export function edgeTaken(
  edge: WorkflowEdge,
  outcome: string | undefined,
  siblings: readonly WorkflowEdge[],
) {
  if (edge.when === undefined) return isSuccessOutcome(outcome);
  if (edge.when === outcome) return true;
  return (
    outcome === 'timeout' && edge.when === 'denied' && !siblings.some((other) => other.when === 'timeout')
  );
}

/** Whether some edge leaving `nodeId` follows `outcome`; a node with no edges out ends its branch. */
export function outcomeHandled(graph: WorkflowGraph, nodeId: string, outcome: string | undefined): boolean {
  if (isSuccessOutcome(outcome)) return true;
  const out = graph.edges.filter((e) => e.from === nodeId);
  return out.some((edge) => edgeTaken(edge, outcome, out));
}

type Resolution = 'taken' | 'skipped' | 'open';
type NodeState = { state: 'done' | 'skipped' | 'open' | 'ready'; outcome?: string | undefined };

/**
 * The nodes that may be scheduled now: not yet stepped, every predecessor settled (completed, or
 * skipped because no edge into it was followed) and at least one edge into it followed. A node whose
 * predecessors all settled without following an edge into it is skipped, and so, in turn, may be the
 * nodes after it. The trigger counts as completed from the run's start.
 */
export function readyNodes(graph: WorkflowGraph, steps: Readonly<Record<string, StepMark>>): WorkflowNode[] {
  const incoming = new Map<string, WorkflowEdge[]>();
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const edge of graph.edges) {
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  }
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  // Per node: completed with this outcome ('done'), skipped, or not settled yet ('open').
  const memo = new Map<string, NodeState>();
  const visiting = new Set<string>();

  const resolve = (id: string): NodeState => {
    const known = memo.get(id);
    if (known) return known;
    // A cycle never settles; the validator refuses them, this only keeps the walk finite.
    if (visiting.has(id)) return { state: 'open' };
    visiting.add(id);
    const node = nodes.get(id);
    const step = steps[id];
    let result: NodeState;
    if (node?.type === 'trigger') result = { state: 'done' };
    else if (step)
      result = step.status === 'completed' ? { state: 'done', outcome: step.outcome } : { state: 'open' };
    else {
      const edges = incoming.get(id) ?? [];
      const each: Resolution[] = edges.map((edge) => {
        const source = resolve(edge.from);
        if (source.state === 'open' || source.state === 'ready') return 'open';
        if (source.state === 'skipped') return 'skipped';
        return edgeTaken(edge, source.outcome, outgoing.get(edge.from) ?? []) ? 'taken' : 'skipped';
      });
      if (edges.length === 0) result = { state: 'ready' };
      else if (each.includes('open')) result = { state: 'open' };
      else result = each.includes('taken') ? { state: 'ready' } : { state: 'skipped' };
    }
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };

  return graph.nodes.filter(
    (node) => node.type !== 'trigger' && !steps[node.id] && resolve(node.id).state === 'ready',
  );
}
