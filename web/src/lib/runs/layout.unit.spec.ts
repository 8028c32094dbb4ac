import type { RunNode, RunStatus } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { layoutTree } from './layout';

const run = (id: string, children: RunNode[] = [], status: RunStatus = 'succeeded'): RunNode => ({
  id,
  parentRunId: null,
  kind: 'workflow',
  name: id,
  status,
  error: null,
  startedAt: null,
  completedAt: null,
  durationMs: null,
  events: 0,
  costMicros: 0,
  tokens: 0,
  rollup: { count: 1, costMicros: 0, tokens: 0, durationMs: null, worstStatus: status },
  children,
});

const positions = (root: RunNode) =>
  Object.fromEntries(layoutTree(root).nodes.map((n) => [n.id, [n.position.x, n.position.y]]));

describe('run tree layout', () => {
  it('gives each leaf its own column and each depth its own row', () => {
    const tree = run('root', [run('a', [run('a1'), run('a2')]), run('b')]);
    expect(positions(tree)).toEqual({
      root: [300, 0],
      a: [120, 200],
      a1: [0, 400],
      a2: [240, 400],
      b: [480, 200],
    });
  });

  it('centres a parent over its first and last child', () => {
    const tree = run('root', [run('a'), run('b'), run('c', [run('c1'), run('c2'), run('c3')])]);
    const at = positions(tree);
    expect(at['c']).toEqual([720, 200]);
    expect(at['root']?.[0]).toBe((0 + 720) / 2);
  });

  it('links each run to its children, animating the links to runs still going', () => {
    const { edges, nodes } = layoutTree(run('root', [run('done'), run('going', [], 'running')]));
    expect(edges.map((e) => [e.id, e.source, e.target, e.animated])).toEqual([
      ['root->done', 'root', 'done', false],
      ['root->going', 'root', 'going', true],
    ]);
    expect(nodes.every((n) => n.type === 'run' && n.draggable === false)).toBe(true);
    expect(nodes.find((n) => n.id === 'going')?.data).toEqual({
      run: expect.objectContaining({ id: 'going' }),
    });
  });

  it('lays out a single run at the origin', () => {
    expect(positions(run('alone'))).toEqual({ alone: [0, 0] });
  });
});
