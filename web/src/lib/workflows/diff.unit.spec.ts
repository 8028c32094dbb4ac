import type { WorkflowDiff } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { diffIsEmpty, edgeText, whenText } from './diff';

const none: WorkflowDiff = {
  from: 1,
  to: 2,
  nodes: { added: [], removed: [], changed: [] },
  edges: { added: [], removed: [], changed: [] },
};

describe('workflow diff helpers', () => {
  it('writes an edge with its label, and an absent label as always', () => {
    expect(edgeText({ from: 'classify', to: 'summary' })).toBe('classify → summary');
    expect(edgeText({ from: 'check', to: 'review', when: 'true' })).toBe('check → review when true');
    expect(whenText('denied')).toBe('when denied');
    expect(whenText(undefined)).toBe('always');
  });

  it('is empty only when no node or edge was added, removed or changed', () => {
    expect(diffIsEmpty(none)).toBe(true);
    expect(
      diffIsEmpty({
        ...none,
        edges: { ...none.edges, changed: [{ from: 'a', to: 'b', before: {}, after: { when: 'true' } }] },
      }),
    ).toBe(false);
    expect(
      diffIsEmpty({ ...none, nodes: { ...none.nodes, removed: [{ id: 'a', type: 'skill', config: {} }] } }),
    ).toBe(false);
  });
});
