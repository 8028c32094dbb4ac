import type { RunNode } from '@proofpane/api';
import type { Edge, Node } from '@xyflow/svelte';

const X_GAP = 240;
const Y_GAP = 200;

/** A tidy top-down layout: each leaf takes the next column, each parent sits above its children's middle. */
export function layoutTree(root: RunNode): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  let column = 0;
  const place = (run: RunNode, depth: number): number => {
    let x: number;
    if (run.children.length === 0) x = column++ * X_GAP;
    else {
      const xs = run.children.map((child) => place(child, depth + 1));
      x = ((xs[0] ?? 0) + (xs[xs.length - 1] ?? 0)) / 2;
    }
    nodes.push({
      id: run.id,
      type: 'run',
      position: { x, y: depth * Y_GAP },
      data: { run },
      draggable: false,
    });
    for (const child of run.children)
      edges.push({
        id: `${run.id}->${child.id}`,
        source: run.id,
        target: child.id,
        animated: child.status === 'running',
      });
    return x;
  };
  place(root, 0);
  return { nodes, edges };
}
