import type { EventData, EventEnvelope } from '@proofpane/core';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * `pu_items`: one row per Parallel Universe item, an inline read model of the `cp.pu.item.*` events
 * written in each append's transaction: the list the console shows, the month's triage spend the budget
 * meter adds up, and the stale sweep's candidates.
 */
const migrations: Record<string, Migration> = {
  '0001_pu_items': {
    async up(db) {
      await sql`CREATE TABLE pu_items (
        id text NOT NULL, org text NOT NULL, source text NOT NULL, source_id text NOT NULL, title text NOT NULL,
        url text NOT NULL, published_at text, excerpt text NOT NULL, status text NOT NULL, relevance double precision,
        summary text, action text, skill text, proposal text, cost_micros bigint NOT NULL DEFAULT 0,
        triaged_at timestamptz, hitl_request_id text, gene_id text, session_id text,
        discovered_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (org, id))`.execute(
        db,
      );
      await sql`CREATE INDEX pu_items_by_org ON pu_items (org, discovered_at DESC, id)`.execute(db);
    },
  },
};

export async function migratePuItems(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'pu_items_migrations',
    migrationLockTableName: 'pu_items_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`parallel universe migration failed: ${String(error)}`);
}

export interface PuItemRow {
  id: string;
  org: string;
  source: string;
  source_id: string;
  title: string;
  url: string;
  published_at: string | null;
  excerpt: string;
  status: string;
  relevance: number | null;
  summary: string | null;
  action: string | null;
  skill: string | null;
  proposal: string | null;
  cost_micros: string | number;
  triaged_at: Date | string | null;
  hitl_request_id: string | null;
  gene_id: string | null;
  session_id: string | null;
  discovered_at: Date | string;
  updated_at: Date | string;
}

export async function applyPuItemEvents(
  trx: Kysely<unknown>,
  events: readonly EventEnvelope[],
): Promise<void> {
  for (const event of events) {
    const at = new Date(event.time);
    const id = (event.data as { itemId?: string }).itemId;
    const update = (fields: ReturnType<typeof sql>) =>
      sql`UPDATE pu_items SET ${fields}, updated_at = ${at} WHERE org = ${event.org} AND id = ${id}`.execute(
        trx,
      );
    switch (event.type) {
      case 'cp.pu.item.discovered': {
        const d = event.data as EventData<'cp.pu.item.discovered'>;
        await sql`INSERT INTO pu_items (id, org, source, source_id, title, url, published_at, excerpt, status, discovered_at, updated_at)
          VALUES (${d.itemId}, ${event.org}, ${d.source}, ${d.sourceId}, ${d.title}, ${d.url}, ${d.publishedAt}, ${d.excerpt},
            'new', ${at}, ${at}) ON CONFLICT DO NOTHING`.execute(trx);
        break;
      }
      case 'cp.pu.item.triaged': {
        const d = event.data as EventData<'cp.pu.item.triaged'>;
        await update(sql`status = 'triaged', relevance = ${d.relevance}, summary = ${d.summary}, action = ${d.action},
          skill = ${d.skill ?? null}, proposal = ${d.proposal ?? null}, cost_micros = ${d.costMicros}, triaged_at = ${at}`);
        break;
      }
      case 'cp.pu.item.triage.failed': {
        const d = event.data as EventData<'cp.pu.item.triage.failed'>;
        await update(sql`status = 'triage_failed', cost_micros = ${d.costMicros}, triaged_at = ${at}`);
        break;
      }
      case 'cp.pu.item.promotion.requested': {
        const d = event.data as EventData<'cp.pu.item.promotion.requested'>;
        await update(sql`status = 'promotion_pending', hitl_request_id = ${d.hitlRequestId}`);
        break;
      }
      case 'cp.pu.item.promotion.denied':
        await update(sql`status = 'triaged', hitl_request_id = NULL`);
        break;
      case 'cp.pu.item.promoted': {
        const d = event.data as EventData<'cp.pu.item.promoted'>;
        await update(
          sql`status = 'promoted', gene_id = ${d.geneId ?? null}, session_id = ${d.sessionId ?? null}`,
        );
        break;
      }
      case 'cp.pu.item.archived':
        await update(sql`status = 'archived'`);
        break;
    }
  }
}
