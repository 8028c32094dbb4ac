import { type Migration, sql } from 'kysely';

export const PU_ITEMS_TABLES = ['pu_items'];

/**
 * Replaces the inline `pu_items` table the server kept in each append's transaction (and its migrator's
 * own tables): the list, the budget meter's spend and the loop's candidates are rebuilt from the log.
 */
export const puItemsMigration: Migration = {
  async up(db) {
    await sql`DROP TABLE IF EXISTS pu_items`.execute(db);
    await sql`DROP TABLE IF EXISTS pu_items_migrations`.execute(db);
    await sql`DROP TABLE IF EXISTS pu_items_migrations_lock`.execute(db);
    await sql`
      CREATE TABLE pu_items (
        org text NOT NULL,
        id text NOT NULL,
        source text NOT NULL,
        source_id text NOT NULL,
        title text NOT NULL,
        url text NOT NULL,
        published_at text,
        excerpt text NOT NULL,
        status text NOT NULL,
        relevance double precision,
        summary text,
        action text,
        skill text,
        proposal text,
        cost_micros bigint NOT NULL DEFAULT 0,
        triaged_at timestamptz,
        hitl_request_id text,
        gene_id text,
        session_id text,
        discovered_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (org, id)
      )`.execute(db);
    await sql`CREATE INDEX pu_items_by_org ON pu_items (org, discovered_at DESC, id)`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS pu_items`.execute(db);
  },
};
