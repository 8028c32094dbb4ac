import { describe, expect, it } from 'vitest';
import { runListQuery, runTree } from './runs.js';

const summary = (id: string, status = 'succeeded') => ({
  id,
  parentRunId: null,
  kind: 'workflow',
  name: id,
  status,
  error: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  completedAt: null,
  durationMs: null,
  events: 1,
  costMicros: 0,
  tokens: 0,
  rollup: { count: 1, costMicros: 0, tokens: 0, durationMs: null, worstStatus: status },
});

describe('run tree contract', () => {
  it('reads a tree nested three deep', () => {
    const tree = {
      run: {
        ...summary('a'),
        children: [{ ...summary('b'), children: [{ ...summary('c'), children: [] }] }],
      },
    };
    expect(runTree.parse(tree).run.children[0]?.children[0]?.id).toBe('c');
  });

  it('refuses a grandchild with a status runs never have', () => {
    const tree = {
      run: {
        ...summary('a'),
        children: [{ ...summary('b'), children: [{ ...summary('c', 'paused'), children: [] }] }],
      },
    };
    const result = runTree.safeParse(tree);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['run', 'children', 0, 'children', 0, 'status']);
  });

  it('fills the list query defaults and coerces the limit from a query string', () => {
    expect(runListQuery.parse({ limit: '20' })).toEqual({ window: '24h', limit: 20 });
    expect(runListQuery.safeParse({ window: '1y' }).success).toBe(false);
  });
});
