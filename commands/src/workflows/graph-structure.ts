import { nodeTypes, type WorkflowEdge, type WorkflowGraph, type WorkflowNode } from './graph.js';
import { edgeLabels } from './node-configs.js';
import type { ValidationProblem } from './validation-problem.js';

const isNodeType = (type: string): type is WorkflowNode['type'] =>
  (nodeTypes as readonly string[]).includes(type);

const edgeRef = (edge: WorkflowEdge, index: number): NonNullable<ValidationProblem['edge']> => ({
  index,
  from: edge.from,
  to: edge.to,
  ...(edge.when !== undefined ? { when: edge.when } : {}),
});

/** The graph's wiring, once its node ids are known to be unique and its edges to name them. */
export interface GraphStructure {
  nodes: ReadonlyMap<string, WorkflowNode>;
  trigger: WorkflowNode | undefined;
  /** Every node with a path to the given one; a node is its own ancestor only inside a cycle. */
  ancestorsOf(nodeId: string): ReadonlySet<string>;
}

function reach(start: string, next: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/** Each cycle once, as the node ids along it, found by a depth-first walk that closes on a back edge. */
function cycles(ids: readonly string[], successors: ReadonlyMap<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const found: string[][] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    path.push(root);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      const out = successors.get(top.id) ?? [];
      if (top.next >= out.length) {
        state.set(top.id, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const to = out[top.next++]!;
      if (state.get(to) === 'open') found.push([...path.slice(path.indexOf(to)), to]);
      else if (!state.has(to)) {
        state.set(to, 'open');
        path.push(to);
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return found;
}

/**
 * The rules on the graph's shape: unique node ids of known types, exactly one trigger with nothing
 * before it, edges between existing nodes with labels their producer may give, no cycle, every node
 * reachable from the trigger.
 */
export function checkStructure(graph: WorkflowGraph): {
  problems: ValidationProblem[];
  structure: GraphStructure;
} {
  const problems: ValidationProblem[] = [];
  const nodes = new Map<string, WorkflowNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      problems.push({
        code: 'duplicate_node',
        node: node.id,
        message: `node id ${node.id} is used more than once`,
      });
      continue;
    }
    nodes.set(node.id, node);
    if (!isNodeType(node.type))
      problems.push({
        code: 'unknown_node_type',
        node: node.id,
        field: 'type',
        message: `unknown node type "${node.type}"; one of ${nodeTypes.join(', ')}`,
      });
  }

  const triggers = graph.nodes.filter((n) => n.type === 'trigger');
  if (triggers.length !== 1)
    problems.push({
      code: 'trigger_count',
      ...(triggers[1] ? { node: triggers[1].id } : {}),
      message: `a workflow has exactly one trigger node; this one has ${triggers.length}`,
    });
  const trigger = triggers.length === 1 ? triggers[0] : undefined;

  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  const seenEdges = new Set<string>();
  graph.edges.forEach((edge, index) => {
    const ref = edgeRef(edge, index);
    const missing = [edge.from, edge.to].filter((id) => !nodes.has(id));
    if (missing.length > 0) {
      problems.push({
        code: 'unknown_edge_node',
        edge: ref,
        message: `edge ${index} names no node ${missing.join(' or ')}`,
      });
      return;
    }
    const key = JSON.stringify([edge.from, edge.to, edge.when ?? null]);
    if (seenEdges.has(key)) {
      problems.push({
        code: 'duplicate_edge',
        edge: ref,
        message: `edge ${index} repeats ${edge.from} → ${edge.to}`,
      });
      return;
    }
    seenEdges.add(key);
    const producer = nodes.get(edge.from)!;
    if (edge.when !== undefined && isNodeType(producer.type)) {
      const labels = edgeLabels[producer.type];
      if (!labels.includes(edge.when))
        problems.push({
          code: 'bad_edge_label',
          edge: ref,
          message:
            labels.length === 0
              ? `a ${producer.type} node's edges take no "when"; edge ${index} has "${edge.when}"`
              : `after a ${producer.type} node "when" is one of ${labels.join(', ')}; edge ${index} has "${edge.when}"`,
        });
    }
    if (edge.to === trigger?.id)
      problems.push({
        code: 'trigger_has_inputs',
        edge: ref,
        node: edge.to,
        message: `the trigger ${edge.to} starts the run; edge ${index} leads into it`,
      });
    successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
    predecessors.set(edge.to, [...(predecessors.get(edge.to) ?? []), edge.from]);
  });

  for (const cycle of cycles([...nodes.keys()], successors))
    problems.push({
      code: 'cycle',
      node: cycle[0]!,
      message: `not a DAG: ${cycle.join(' → ')} is a cycle`,
    });

  if (trigger) {
    const reachable = reach(trigger.id, successors);
    for (const id of nodes.keys())
      if (id !== trigger.id && !reachable.has(id))
        problems.push({
          code: 'unreachable',
          node: id,
          message: `node ${id} cannot be reached from the trigger ${trigger.id}`,
        });
  }

  const ancestors = new Map<string, Set<string>>();
  const structure: GraphStructure = {
    nodes,
    trigger,
    ancestorsOf(nodeId) {
      let found = ancestors.get(nodeId);
      if (!found) {
        found = reach(nodeId, predecessors);
        ancestors.set(nodeId, found);
      }
      return found;
    },
  };
  return { problems, structure };
}
