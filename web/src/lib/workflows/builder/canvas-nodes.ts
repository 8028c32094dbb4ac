import type { Edge, Node } from '@xyflow/svelte';
import { layoutWorkflow, stepLabel } from '../layout';
import { type Definition, type DefinitionEdge, edgeKey } from './definition';
import type { DefinitionDiff, Mark } from './preview-diff';

/** The palette's drag data type: an item key, dropped where the pointer is. */
export const PALETTE_DRAG_TYPE = 'application/x-proofpane-palette-item';

/** What a node box on the builder's canvas shows. */
export interface CanvasNodeData extends Record<string, unknown> {
  id: string;
  type: string;
  title: string;
  problems: string[];
  mark?: Mark;
  /** In a run: the step's status, cost and a one-line output. */
  status?: string;
  cost?: string;
  output?: string;
}

export type Position = { x: number; y: number };

/** Where each node sits: a known position first, else the layered layout's. */
export function positionsFor(
  definition: Definition,
  known: Readonly<Record<string, Position>>,
): Record<string, Position> {
  const missing = definition.nodes.some((n) => !known[n.id]);
  const laid = missing ? new Map(layoutWorkflow(definition).nodes.map((n) => [n.id, n.position])) : new Map();
  return Object.fromEntries(
    definition.nodes.map((n) => [n.id, known[n.id] ?? laid.get(n.id) ?? { x: 0, y: 0 }]),
  );
}

/** Below every node, so a node added without a drop point never covers another. */
export function freePosition(positions: Readonly<Record<string, Position>>): Position {
  const all = Object.values(positions);
  if (all.length === 0) return { x: 0, y: 0 };
  return { x: Math.min(...all.map((p) => p.x)), y: Math.max(...all.map((p) => p.y)) + 150 };
}

/** The definition as xyflow nodes and edges, with the problems, proposal marks and run states on them. */
export function canvasOf(options: {
  definition: Definition;
  positions: Readonly<Record<string, Position>>;
  skillTitles: Readonly<Record<string, string>>;
  problems?: readonly { node?: string | undefined; message: string }[];
  diff?: DefinitionDiff | null;
  steps?: Readonly<Record<string, { status: string; cost?: string; output?: string }>>;
  selected?: string | null;
  editable?: boolean;
}): { nodes: Node<CanvasNodeData>[]; edges: Edge[] } {
  const placed = positionsFor(options.definition, options.positions);
  const nodes = options.definition.nodes.map((n): Node<CanvasNodeData> => {
    const step = options.steps?.[n.id];
    const mark = options.diff?.nodes[n.id];
    return {
      id: n.id,
      type: 'builder',
      position: placed[n.id]!,
      selected: options.selected === n.id,
      draggable: options.editable ?? false,
      deletable: (options.editable ?? false) && !mark,
      data: {
        id: n.id,
        ...stepLabel(n, options.skillTitles),
        problems: (options.problems ?? []).filter((p) => p.node === n.id).map((p) => p.message),
        ...(mark ? { mark } : {}),
        ...(step ? { status: step.status } : {}),
        ...(step?.cost ? { cost: step.cost } : {}),
        ...(step?.output ? { output: step.output } : {}),
      },
    };
  });
  const edges = options.definition.edges.map((e): Edge => {
    const key = edgeKey(e);
    const mark = options.diff?.edges[key];
    const active = options.steps?.[e.from]?.status === 'completed' && options.steps?.[e.to] !== undefined;
    return {
      id: key,
      source: e.from,
      target: e.to,
      selected: options.selected === key,
      deletable: options.editable ?? false,
      ...(e.when ? { label: e.when } : {}),
      ...(mark ? { class: `mark-${mark}` } : {}),
      ...(active ? { animated: true } : {}),
    };
  });
  return { nodes, edges };
}

/**
 * The edge a drawn connection becomes: after a node whose edges branch (a condition, a person's
 * decision), the first label not yet used from it, so each branch gets its own edge.
 */
export function edgeFromConnection(options: {
  definition: Definition;
  source: string;
  target: string;
  labels: Readonly<Record<string, readonly string[]>>;
}): DefinitionEdge {
  const { definition, source, target } = options;
  const type = definition.nodes.find((n) => n.id === source)?.type ?? '';
  const used = new Set(definition.edges.filter((e) => e.from === source).map((e) => e.when));
  const when = (options.labels[type] ?? []).find((label) => !used.has(label));
  return when ? { from: source, to: target, when } : { from: source, to: target };
}
