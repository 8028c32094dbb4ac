import type { WorkflowDiff } from '@proofpane/api';

type DiffEdge = { from: string; to: string; when?: string | undefined };

/** `classify → summary`, or `check → review when true`. */
export const edgeText = (edge: DiffEdge) =>
  `${edge.from} → ${edge.to}${edge.when ? ` when ${edge.when}` : ''}`;

/** `when true` → `when false`; an unlabelled edge is taken whenever its step succeeds. */
export const whenText = (when: string | undefined) => (when ? `when ${when}` : 'always');

export const diffIsEmpty = (diff: WorkflowDiff) =>
  [
    diff.nodes.added,
    diff.nodes.removed,
    diff.nodes.changed,
    diff.edges.added,
    diff.edges.removed,
    diff.edges.changed,
  ].every((list) => list.length === 0);
