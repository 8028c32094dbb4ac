import type { Actor, NewEvent } from '@proofpane/core';

const loop: Actor = { kind: 'system', id: 'parallel-universe' };
const person: Actor = { kind: 'user', id: 'usr_ada' };

/**
 * Parallel Universe items for rebuild specs: `n` discovered, triaged (or failed), and taken each its own
 * way: promoted to a gene or a coder session, a promotion denied, archived as stale.
 */
export function puLife(options: { prefix: number }): NewEvent[] {
  const idOf = (n: number) => `pu_${(options.prefix * 16 + n).toString(16).padStart(24, '0')}`;
  const on = (n: number, type: string, data: Record<string, unknown>, actor = loop): NewEvent => ({
    type,
    subject: `pu-item/${idOf(n)}`,
    actor,
    data: { itemId: idOf(n), ...data },
  });
  const discovered = (n: number) =>
    on(n, 'cp.pu.item.discovered', {
      source: n % 2 ? 'hacker-news' : 'arxiv-cs-ai',
      sourceId: `story-${options.prefix}-${n}`,
      title: `Story ${n}`,
      url: `https://news.example/${options.prefix}/${n}`,
      publishedAt: n === 1 ? null : '2026-03-01T00:00:00.000Z',
      excerpt: 'text',
    });
  const triaged = (n: number, action: 'gene' | 'coder' | 'ignore') =>
    on(n, 'cp.pu.item.triaged', {
      relevance: n / 10,
      summary: `summary ${n}`,
      action,
      ...(action === 'gene' ? { skill: 'risk.eu_ai_act_tier' } : {}),
      ...(action !== 'ignore' ? { proposal: `proposal ${n}` } : {}),
      runId: `run_pu_${options.prefix}_${n}`,
      costMicros: 100 * n,
    });
  return [
    discovered(1),
    triaged(1, 'gene'),
    on(
      1,
      'cp.pu.item.promotion.requested',
      { target: 'gene', hitlRequestId: `hitl_${options.prefix}_1` },
      person,
    ),
    on(1, 'cp.pu.item.promoted', { target: 'gene', geneId: `gene_${options.prefix}_1` }, person),
    discovered(2),
    triaged(2, 'coder'),
    on(
      2,
      'cp.pu.item.promotion.requested',
      { target: 'coder', hitlRequestId: `hitl_${options.prefix}_2` },
      person,
    ),
    on(2, 'cp.pu.item.promoted', { target: 'coder', sessionId: `cs_${options.prefix}_2` }, person),
    discovered(3),
    triaged(3, 'coder'),
    on(
      3,
      'cp.pu.item.promotion.requested',
      { target: 'coder', hitlRequestId: `hitl_${options.prefix}_3` },
      person,
    ),
    on(3, 'cp.pu.item.promotion.denied', { hitlRequestId: `hitl_${options.prefix}_3` }, person),
    discovered(4),
    on(4, 'cp.pu.item.triage.failed', {
      reason: 'malformed answer',
      runId: `run_pu_${options.prefix}_4`,
      costMicros: 50,
    }),
    discovered(5),
    triaged(5, 'ignore'),
    on(5, 'cp.pu.item.archived', { staleAfterDays: 14 }),
    discovered(6),
  ];
}
