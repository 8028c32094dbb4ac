import type { WorkflowGraphOut } from '@proofpane/api';

/** The graph a builder edits: what `PUT /api/workflows/:id` saves, in the engine's own shape. */
export type Definition = WorkflowGraphOut;
export type DefinitionNode = Definition['nodes'][number];
export type DefinitionEdge = Definition['edges'][number];

/** The engine's node id rule (api/src/workflows.ts): a letter or _, then letters, digits, _ and -. */
const ID_RULE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export const emptyDefinition = (): Definition => ({ nodes: [], edges: [] });

/** An edge's identity on the canvas and in diffs: its ends and its label. */
export const edgeKey = (edge: DefinitionEdge): string =>
  `${edge.from}->${edge.to}${edge.when ? `:${edge.when}` : ''}`;

/** A readable id not yet taken, from a skill's name (`classify_use_case`) or a node type. */
export function freshNodeId(definition: Definition, base: string): string {
  const stem =
    base
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .replace(/^[^A-Za-z_]+/, '')
      .slice(0, 56) || 'step';
  const taken = new Set(definition.nodes.map((n) => n.id));
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
}

export function addNode(
  definition: Definition,
  node: { type: string; config: Record<string, unknown>; idBase: string },
): { definition: Definition; id: string } {
  const id = freshNodeId(definition, node.idBase);
  return {
    id,
    definition: {
      nodes: [
        ...definition.nodes,
        { id, type: node.type, config: JSON.parse(JSON.stringify(node.config)) as Record<string, unknown> },
      ],
      edges: definition.edges,
    },
  };
}

/** Connects two nodes once; a self-loop or an edge already there changes nothing. */
export function connectNodes(definition: Definition, edge: DefinitionEdge): Definition {
  if (edge.from === edge.to) return definition;
  const key = edgeKey(edge);
  if (definition.edges.some((e) => edgeKey(e) === key)) return definition;
  const ids = new Set(definition.nodes.map((n) => n.id));
  if (!ids.has(edge.from) || !ids.has(edge.to)) return definition;
  return {
    nodes: definition.nodes,
    edges: [...definition.edges, edge.when ? edge : { from: edge.from, to: edge.to }],
  };
}

/** Removes nodes (with every edge touching them) and edges by key. */
export function removeParts(
  definition: Definition,
  parts: { nodes?: readonly string[]; edges?: readonly string[] },
): Definition {
  const nodes = new Set(parts.nodes ?? []);
  const edges = new Set(parts.edges ?? []);
  return {
    nodes: definition.nodes.filter((n) => !nodes.has(n.id)),
    edges: definition.edges.filter((e) => !nodes.has(e.from) && !nodes.has(e.to) && !edges.has(edgeKey(e))),
  };
}

export function setNodeConfig(
  definition: Definition,
  id: string,
  config: Record<string, unknown>,
): Definition {
  return {
    nodes: definition.nodes.map((n) => (n.id === id ? { ...n, config } : n)),
    edges: definition.edges,
  };
}

/** Sets or clears an edge's `when` label. */
export function relabelEdge(definition: Definition, key: string, when: string | undefined): Definition {
  return {
    nodes: definition.nodes,
    edges: definition.edges.map((e) => {
      if (edgeKey(e) !== key) return e;
      return when ? { from: e.from, to: e.to, when } : { from: e.from, to: e.to };
    }),
  };
}

/** Renames a node and every edge that touches it; a bad or taken id changes nothing. */
export function renameNode(definition: Definition, from: string, to: string): Definition {
  if (from === to || !ID_RULE.test(to) || definition.nodes.some((n) => n.id === to)) return definition;
  const swap = (id: string) => (id === from ? to : id);
  return {
    nodes: definition.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: definition.edges.map((e) => ({ ...e, from: swap(e.from), to: swap(e.to) })),
  };
}

export const isValidNodeId = (id: string) => ID_RULE.test(id);

/** Equal graphs: same nodes in any order, same configs, same edges in any order. */
export function sameDefinition(a: Definition, b: Definition): boolean {
  const canonical = (d: Definition) =>
    JSON.stringify({
      nodes: [...d.nodes]
        .sort((x, y) => x.id.localeCompare(y.id))
        .map((n) => [n.id, n.type, sortKeys(n.config)]),
      edges: d.edges.map(edgeKey).sort(),
    });
  return canonical(a) === canonical(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

/** The nodes a node can read from: every node with a path to it. */
export function upstreamOf(definition: Definition, id: string): string[] {
  const parents = new Map<string, string[]>();
  for (const e of definition.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
  const seen = new Set<string>();
  const stack = [...(parents.get(id) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next) || next === id) continue;
    seen.add(next);
    stack.push(...(parents.get(next) ?? []));
  }
  return definition.nodes.map((n) => n.id).filter((n) => seen.has(n));
}
