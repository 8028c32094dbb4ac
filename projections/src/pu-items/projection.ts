import type { EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { count, isoTime, optionalText, text } from '../runner/fields.js';
import type { Projection } from '../runner/projection.js';
import { PU_ITEMS_TABLES } from './table.js';

async function applyOne(tx: Kysely<unknown>, event: EventEnvelope): Promise<void> {
  const data = event.data as Record<string, unknown>;
  const { org } = event;
  const at = isoTime(event.time);
  const update = (fields: ReturnType<typeof sql>) =>
    sql`UPDATE pu_items SET ${fields}, updated_at = ${at}::timestamptz
      WHERE org = ${org} AND id = ${text(data, 'itemId')}`.execute(tx);
  switch (event.type) {
    case 'cp.pu.item.discovered':
      await sql`
        INSERT INTO pu_items (org, id, source, source_id, title, url, published_at, excerpt, status, discovered_at, updated_at)
        VALUES (${org}, ${text(data, 'itemId')}, ${text(data, 'source')}, ${text(data, 'sourceId')},
          ${String(data.title ?? '')}, ${String(data.url ?? '')}, ${optionalText(data, 'publishedAt')},
          ${String(data.excerpt ?? '')}, 'new', ${at}::timestamptz, ${at}::timestamptz)
        ON CONFLICT (org, id) DO NOTHING`.execute(tx);
      return;
    case 'cp.pu.item.triaged': {
      const relevance = typeof data.relevance === 'number' ? data.relevance : null;
      await update(sql`status = 'triaged', relevance = ${relevance}, summary = ${String(data.summary ?? '')},
        action = ${text(data, 'action')}, skill = ${optionalText(data, 'skill')},
        proposal = ${optionalText(data, 'proposal')}, cost_micros = ${count(data, 'costMicros')},
        triaged_at = ${at}::timestamptz`);
      return;
    }
    case 'cp.pu.item.triage.failed':
      await update(
        sql`status = 'triage_failed', cost_micros = ${count(data, 'costMicros')}, triaged_at = ${at}::timestamptz`,
      );
      return;
    case 'cp.pu.item.promotion.requested':
      await update(sql`status = 'promotion_pending', hitl_request_id = ${text(data, 'hitlRequestId')}`);
      return;
    case 'cp.pu.item.promotion.denied':
      await update(sql`status = 'triaged', hitl_request_id = NULL`);
      return;
    case 'cp.pu.item.promoted':
      await update(
        sql`status = 'promoted', gene_id = ${optionalText(data, 'geneId')}, session_id = ${optionalText(data, 'sessionId')}`,
      );
      return;
    case 'cp.pu.item.archived':
      await update(sql`status = 'archived'`);
      return;
    default:
      return;
  }
}

/**
 * Parallel Universe items (docs/parallel-universe.md): the list with scores, the month's triage spend
 * the budget meter adds up, and the loop's candidates (new, stale, awaiting a promotion decision).
 */
export const puItemsProjection: Projection = {
  name: 'pu-items',
  version: 1,
  handles: [
    'cp.pu.item.discovered',
    'cp.pu.item.triaged',
    'cp.pu.item.triage.failed',
    'cp.pu.item.promotion.requested',
    'cp.pu.item.promotion.denied',
    'cp.pu.item.promoted',
    'cp.pu.item.archived',
  ],
  tables: PU_ITEMS_TABLES,
  async apply({ tx, events }) {
    for (const { event } of events) await applyOne(tx, event);
  },
};
