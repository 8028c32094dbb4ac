import { canonicalJson } from '@proofpane/core';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph.js';

export interface NodeChange {
  id: string;
  before: WorkflowNode;
  after: WorkflowNode;
  /** The paths that differ: `type`, or leaves under `config` (`config.input.text`), at most 50. */
  fields: string[];
}

export interface EdgeChange {
  from: string;
  to: string;
  before: { when?: string };
  after: { when?: string };
}

export interface WorkflowDiff {
  nodes: { added: WorkflowNode[]; removed: WorkflowNode[]; changed: NodeChange[] };
  edges: { added: WorkflowEdge[]; removed: WorkflowEdge[]; changed: EdgeChange[] };
}

const MAX_FIELDS = 50;
/** By value, key order aside; a missing member (undefined) equals only another missing one. */
const same = (a: unknown, b: unknown) =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Leaf paths where two JSON values differ; arrays of different lengths differ as a whole. */
function differingPaths(a: unknown, b: unknown, at: string, into: string[]) {
  if (into.length >= MAX_FIELDS || same(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      differingPaths(a[key], b[key], `${at}.${key}`, into);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => {
      differingPaths(item, b[i], `${at}.${i}`, into);
    });
    return;
  }
  into.push(at);
}

const pair = (edge: WorkflowEdge) => JSON.stringify([edge.from, edge.to]);
const labelled = (edge: WorkflowEdge) => JSON.stringify([edge.from, edge.to, edge.when ?? null]);
const when = (edge: WorkflowEdge) => (edge.when !== undefined ? { when: edge.when } : {});

/**
 * What changed from one version's graph to another's. Nodes match by id. Edges match by their ends: a
 * pair joined by one edge on each side whose `when` differs is changed; otherwise edges are added or
 * removed by ends and label.
 */
export function diffGraphs(before: WorkflowGraph, after: WorkflowGraph): WorkflowDiff {
  const beforeNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const afterNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const nodes: WorkflowDiff['nodes'] = {
    added: after.nodes.filter((n) => !beforeNodes.has(n.id)),
    removed: before.nodes.filter((n) => !afterNodes.has(n.id)),
    changed: [],
  };
  for (const node of after.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old || same(old, node)) continue;
    const fields: string[] = old.type === node.type ? [] : ['type'];
    differingPaths(old.config, node.config, 'config', fields);
    nodes.changed.push({ id: node.id, before: old, after: node, fields });
  }

  const group = (edges: WorkflowEdge[]) => {
    const byPair = new Map<string, WorkflowEdge[]>();
    for (const edge of edges) byPair.set(pair(edge), [...(byPair.get(pair(edge)) ?? []), edge]);
    return byPair;
  };
  const beforePairs = group(before.edges);
  const afterPairs = group(after.edges);
  const edges: WorkflowDiff['edges'] = { added: [], removed: [], changed: [] };
  const relabelled = new Set<string>();
  for (const [key, [edge, ...others]] of afterPairs) {
    const old = beforePairs.get(key);
    if (edge && others.length === 0 && old?.length === 1 && (old[0]!.when ?? null) !== (edge.when ?? null)) {
      edges.changed.push({ from: edge.from, to: edge.to, before: when(old[0]!), after: when(edge) });
      relabelled.add(key);
    }
  }
  const beforeLabels = new Set(before.edges.map(labelled));
  const afterLabels = new Set(after.edges.map(labelled));
  edges.added = after.edges.filter((e) => !relabelled.has(pair(e)) && !beforeLabels.has(labelled(e)));
  edges.removed = before.edges.filter((e) => !relabelled.has(pair(e)) && !afterLabels.has(labelled(e)));
  return { nodes, edges };
}
