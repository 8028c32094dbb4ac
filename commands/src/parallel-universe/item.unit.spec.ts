import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { type PuItemFact, puItemId } from './facts.js';
import { PuItemError, puItemDecider } from './item.js';

const spec = deciderSpec(puItemDecider);
const itemId = puItemId('hacker-news', '42424242');
const item = {
  itemId,
  source: 'hacker-news' as const,
  sourceId: '42424242',
  title: 'Show HN: Governed LLM agents',
  url: 'https://example.com/governed-agents',
  publishedAt: '2026-12-02T15:00:00.000Z',
  excerpt: '',
};
const discovered: PuItemFact = { type: 'cp.pu.item.discovered', data: item };
const triage = (action: 'gene' | 'coder' | 'ignore'): PuItemFact => ({
  type: 'cp.pu.item.triaged',
  data: {
    itemId,
    relevance: 0.8,
    summary: 's',
    action,
    ...(action === 'ignore' ? {} : { proposal: 'p' }),
    runId: 'run_1',
    costMicros: 10,
  },
});
const requested: PuItemFact = {
  type: 'cp.pu.item.promotion.requested',
  data: { itemId, target: 'coder', hitlRequestId: 'hitl_1' },
};
const code = (expected: string) => (e: unknown) => e instanceof PuItemError && e.code === expected;

describe('the Parallel Universe item decider', () => {
  it('derives one id per source and source id, and discovers an item once', () => {
    expect(puItemId('hacker-news', '42424242')).toBe(itemId);
    expect(puItemId('github-search', '42424242')).not.toBe(itemId);
    spec.given([]).when({ type: 'discover', item }).then([discovered]);
    spec.given([discovered]).when({ type: 'discover', item }).then([]);
  });

  it('promotes only a triage that proposed something, through a request, once', () => {
    spec
      .given([discovered, triage('ignore')])
      .when({ type: 'request-promotion', hitlRequestId: 'h' })
      .thenThrows(code('pu_item_state'));
    spec
      .given([discovered])
      .when({ type: 'request-promotion', hitlRequestId: 'h' })
      .thenThrows(code('pu_item_state'));
    spec
      .given([discovered, triage('coder')])
      .when({ type: 'request-promotion', hitlRequestId: 'hitl_1' })
      .then([requested]);
    spec
      .given([discovered, triage('coder'), requested])
      .when({ type: 'request-promotion', hitlRequestId: 'h2' })
      .thenThrows(code('pu_item_state'));
    spec
      .given([discovered, triage('coder'), requested])
      .when({ type: 'promote', sessionId: 'cs_1' })
      .then([{ type: 'cp.pu.item.promoted', data: { itemId, target: 'coder', sessionId: 'cs_1' } }]);
    spec
      .given([discovered, triage('coder')])
      .when({ type: 'promote', sessionId: 'cs_1' })
      .thenThrows(code('pu_item_state'));
  });

  it('archives a stale item unless its promotion is pending or done', () => {
    spec
      .given([discovered, triage('gene')])
      .when({ type: 'archive', staleAfterDays: 30 })
      .then([{ type: 'cp.pu.item.archived', data: { itemId, staleAfterDays: 30 } }]);
    spec
      .given([discovered, triage('coder'), requested])
      .when({ type: 'archive', staleAfterDays: 30 })
      .thenThrows(code('pu_item_state'));
    spec.given([]).when({ type: 'archive', staleAfterDays: 30 }).thenThrows(code('pu_item_not_found'));
  });
});
