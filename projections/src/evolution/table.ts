import { type Migration, sql } from 'kysely';

export const EVOLUTION_TABLES = [
  'evolution_genes',
  'evolution_capsules',
  'evolution_activations',
  'evolution_capsule_runs',
  'evolution_spend',
];

/** The evolution budget line: what the org's `evolution` route calls cost per calendar month (UTC). */
export const evolutionSpendMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE evolution_spend (
        org text NOT NULL,
        month text NOT NULL,
        spent_micros bigint NOT NULL,
        calls integer NOT NULL,
        PRIMARY KEY (org, month)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS evolution_spend`.execute(db);
  },
};

export const evolutionMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE evolution_genes (
        org text NOT NULL,
        gene_id text NOT NULL,
        skill text NOT NULL,
        text text NOT NULL,
        rationale text NOT NULL,
        origin text NOT NULL,
        proposed_by text,
        motivating_event_ids jsonb NOT NULL,
        evidence_run_ids jsonb NOT NULL DEFAULT '[]',
        status text NOT NULL,
        proposed_at timestamptz NOT NULL,
        proposed_seq bigint NOT NULL,
        decided_by text,
        decided_at timestamptz,
        reject_reason text,
        capsule_id text,
        deprecated_rule text,
        deprecated_at timestamptz,
        replay jsonb,
        PRIMARY KEY (org, gene_id)
      )`.execute(db);
    await sql`CREATE INDEX evolution_genes_list ON evolution_genes (org, skill, proposed_seq DESC)`.execute(
      db,
    );
    await sql`
      CREATE TABLE evolution_capsules (
        org text NOT NULL,
        skill text NOT NULL,
        capsule_id text NOT NULL,
        text text NOT NULL,
        genes jsonb NOT NULL,
        previous_capsule_id text,
        created_at timestamptz NOT NULL,
        created_seq bigint NOT NULL,
        active boolean NOT NULL DEFAULT false,
        activated_at timestamptz,
        activated_by text,
        PRIMARY KEY (org, skill, capsule_id)
      )`.execute(db);
    await sql`CREATE INDEX evolution_capsules_by_id ON evolution_capsules (org, capsule_id)`.execute(db);
    // Every activation, in log order: the history a rollback is read from.
    await sql`
      CREATE TABLE evolution_activations (
        org text NOT NULL,
        seq bigint NOT NULL,
        skill text NOT NULL,
        capsule_id text NOT NULL,
        previous_capsule_id text,
        activated_by text NOT NULL,
        activated_at timestamptz NOT NULL,
        PRIMARY KEY (org, seq)
      )`.execute(db);
    // Which capsule answered which skill run: the lineage, and what the stale rule reads.
    await sql`
      CREATE TABLE evolution_capsule_runs (
        org text NOT NULL,
        run_id text NOT NULL,
        skill text NOT NULL,
        capsule_id text NOT NULL,
        started_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'running',
        PRIMARY KEY (org, run_id)
      )`.execute(db);
    await sql`CREATE INDEX evolution_capsule_runs_capsule ON evolution_capsule_runs (org, capsule_id, started_at DESC)`.execute(
      db,
    );
  },
  async down(db) {
    for (const table of [
      'evolution_capsule_runs',
      'evolution_activations',
      'evolution_capsules',
      'evolution_genes',
    ])
      await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  },
};
