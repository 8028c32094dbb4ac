import {
  type Definition,
  type DefinitionEdge,
  type DefinitionNode,
  edgeKey,
  sameDefinition,
} from './definition';

export type Mark = 'added' | 'removed' | 'changed';

/** How a proposed graph differs from the current one, by node id and by edge key. */
export interface DefinitionDiff {
  nodes: Record<string, Mark>;
  edges: Record<string, Mark>;
}

const sameNode = (a: DefinitionNode, b: DefinitionNode) =>
  a.type === b.type && sameDefinition({ nodes: [a], edges: [] }, { nodes: [{ ...b, id: a.id }], edges: [] });

/**
 * Nodes by id (a node whose type or config differs is changed); edges by their ends, so an edge whose
 * label alone differs is changed, as the server's version diff says it.
 */
export function diffDefinitions(current: Definition, next: Definition): DefinitionDiff {
  const nodes: Record<string, Mark> = {};
  const before = new Map(current.nodes.map((n) => [n.id, n]));
  const after = new Map(next.nodes.map((n) => [n.id, n]));
  for (const [id, node] of after) {
    const old = before.get(id);
    if (!old) nodes[id] = 'added';
    else if (!sameNode(old, node)) nodes[id] = 'changed';
  }
  for (const id of before.keys()) if (!after.has(id)) nodes[id] = 'removed';

  const edges: Record<string, Mark> = {};
  const ends = (e: DefinitionEdge) => `${e.from}->${e.to}`;
  const beforeEdges = new Map(current.edges.map((e) => [ends(e), e]));
  const afterEdges = new Map(next.edges.map((e) => [ends(e), e]));
  for (const [key, edge] of afterEdges) {
    const old = beforeEdges.get(key);
    if (!old) edges[edgeKey(edge)] = 'added';
    else if ((old.when ?? '') !== (edge.when ?? '')) edges[edgeKey(edge)] = 'changed';
  }
  for (const [key, edge] of beforeEdges) if (!afterEdges.has(key)) edges[edgeKey(edge)] = 'removed';
  return { nodes, edges };
}

/** The proposed graph plus what it removes, so the canvas can show both; marks say which is which. */
export function previewGraph(
  current: Definition,
  next: Definition,
): { graph: Definition; diff: DefinitionDiff } {
  const diff = diffDefinitions(current, next);
  const ids = new Set(next.nodes.map((n) => n.id));
  const removedNodes = current.nodes.filter((n) => !ids.has(n.id));
  const nextEnds = new Set(next.edges.map((e) => `${e.from}->${e.to}`));
  const removedEdges = current.edges.filter((e) => !nextEnds.has(`${e.from}->${e.to}`));
  return {
    graph: { nodes: [...next.nodes, ...removedNodes], edges: [...next.edges, ...removedEdges] },
    diff,
  };
}

export const diffCount = (diff: DefinitionDiff) =>
  Object.keys(diff.nodes).length + Object.keys(diff.edges).length;
