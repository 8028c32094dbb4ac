import { describe, expect, it } from 'vitest';
import { filterQuery } from './filter';

describe('filterQuery', () => {
  it('keeps the filled fields and drops blank ones', () => {
    expect(
      filterQuery({ type: 'cp.llm.', actor: '  ', subject: '', runId: 'wf_1', from: undefined }),
    ).toEqual({
      type: 'cp.llm.',
      runId: 'wf_1',
    });
  });
});
