import type { WorkflowGraphOut } from '@proofpane/api';
import type { Edge, Node } from '@xyflow/svelte';

type GraphNode = WorkflowGraphOut['nodes'][number];

const X_GAP = 250;
const Y_GAP = 150;

/** What a node box says: its type, a title (the skill's, or what the node does) and its id. */
export interface StepLabel {
  type: string;
  title: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function stepLabel(node: GraphNode, skillTitles: Readonly<Record<string, string>>): StepLabel {
  const config = node.config;
  switch (node.type) {
    case 'trigger': {
      const kind = text(config.kind) || 'manual';
      const detail = kind === 'schedule' ? text(config.cron) : kind === 'event' ? text(config.eventType) : '';
      return { type: 'trigger', title: detail ? `Starts by ${kind}: ${detail}` : `Starts by ${kind}` };
    }
    case 'skill': {
      const skill = text(config.skill);
      return { type: 'skill', title: skillTitles[skill] ?? skill };
    }
    case 'condition':
      return { type: 'condition', title: `Checks ${text(config.op) || 'a value'}` };
    case 'hitl':
      return {
        type: 'hitl',
        title: `A person decides${text(config.risk) ? ` (${text(config.risk)} risk)` : ''}`,
      };
    case 'tool':
      return { type: 'tool', title: `Tool ${text(config.tool)}` };
    case 'mcp_call':
      return { type: 'mcp_call', title: `${text(config.server)} · ${text(config.tool)}` };
    case 'integration':
      return { type: 'integration', title: text(config.operation) || 'An external system' };
    case 'multi_agent': {
      const agents = Array.isArray(config.agents) ? config.agents.length : 0;
      return {
        type: 'multi_agent',
        title: `${text(config.strategy)}, ${agents} agent${agents === 1 ? '' : 's'}`,
      };
    }
    default:
      return { type: node.type, title: node.id };
  }
}

/**
 * Each node's row: the longest path to it from a node nothing leads into, so every edge points down.
 * The graph is validated as a DAG; a cycle regardless puts its nodes one row below the rest.
 */
function depths(graph: WorkflowGraphOut): Map<string, number> {
  const incoming = new Map(graph.nodes.map((n) => [n.id, 0]));
  const outgoing = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    if (!incoming.has(e.to) || !outgoing.has(e.from)) continue;
    incoming.set(e.to, (incoming.get(e.to) ?? 0) + 1);
    outgoing.get(e.from)?.push(e.to);
  }
  const depth = new Map<string, number>();
  const done = new Set<string>();
  const ready = graph.nodes.filter((n) => incoming.get(n.id) === 0).map((n) => n.id);
  for (const id of ready) depth.set(id, 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    done.add(id);
    for (const next of outgoing.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (incoming.get(next) ?? 0) - 1;
      incoming.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const deepest = Math.max(0, ...[...done].map((id) => depth.get(id) ?? 0));
  for (const n of graph.nodes) if (!done.has(n.id)) depth.set(n.id, deepest + 1);
  return depth;
}

/**
 * A top-down layered layout: one row per depth, each row centred, and its nodes ordered by where their
 * parents sit (then by their order in the graph), which keeps most edges from crossing.
 */
export function layoutWorkflow(
  graph: WorkflowGraphOut,
  skillTitles: Readonly<Record<string, string>> = {},
): { nodes: Node[]; edges: Edge[] } {
  const depth = depths(graph);
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const parents = new Map<string, string[]>();
  for (const e of graph.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const rows: GraphNode[][] = [];
  for (const n of graph.nodes) {
    const level = depth.get(n.id) ?? 0;
    rows[level] = [...(rows[level] ?? []), n];
  }

  const x = new Map<string, number>();
  const nodes: Node[] = [];
  rows.forEach((row, level) => {
    const pull = (n: GraphNode) => {
      const placed = (parents.get(n.id) ?? []).flatMap((p) => (x.has(p) ? [x.get(p)!] : []));
      return placed.length ? placed.reduce((a, b) => a + b, 0) / placed.length : 0;
    };
    const sorted = [...row].sort(
      (a, b) => pull(a) - pull(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
    );
    sorted.forEach((n, i) => {
      const at = (i - (sorted.length - 1) / 2) * X_GAP;
      x.set(n.id, at);
      nodes.push({
        id: n.id,
        type: 'step',
        position: { x: at, y: level * Y_GAP },
        data: { id: n.id, ...stepLabel(n, skillTitles) },
        draggable: false,
      });
    });
  });

  const edges: Edge[] = graph.edges.map((e) => ({
    id: `${e.from}->${e.to}${e.when ? `:${e.when}` : ''}`,
    source: e.from,
    target: e.to,
    ...(e.when ? { label: e.when } : {}),
  }));
  return { nodes, edges };
}
