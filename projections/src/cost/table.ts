import { type Migration, sql } from 'kysely';

export interface CostDailyTable {
  org: string;
  day: string;
  cost_micros: string;
  calls: number;
  tokens: string;
}

export interface CostTopTable {
  org: string;
  month: string;
  dimension: 'user' | 'apikey' | 'model' | 'agent';
  key: string;
  cost_micros: string;
  calls: number;
  tokens: string;
}

export interface CostBudgetTable {
  org: string;
  cap_micros: string | null;
}

export interface CostReservationsTable {
  org: string;
  reservation_id: string;
  month: string;
  amount_micros: string;
}

export interface CostAnomaliesTable {
  org: string;
  seq: string;
  time: Date;
  subject: string;
  model: string;
  cost_micros: string;
  average_micros: string;
  factor: number;
}

export const costMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE cost_daily (
        org text NOT NULL, day date NOT NULL,
        cost_micros bigint NOT NULL, calls integer NOT NULL, tokens bigint NOT NULL,
        PRIMARY KEY (org, day)
      )`.execute(db);
    await sql`
      CREATE TABLE cost_top (
        org text NOT NULL, month text NOT NULL, dimension text NOT NULL, key text NOT NULL,
        cost_micros bigint NOT NULL, calls integer NOT NULL, tokens bigint NOT NULL,
        PRIMARY KEY (org, month, dimension, key)
      )`.execute(db);
    await sql`CREATE TABLE cost_budget (org text PRIMARY KEY, cap_micros bigint)`.execute(db);
    await sql`
      CREATE TABLE cost_reservations (
        org text NOT NULL, reservation_id text NOT NULL, month text NOT NULL, amount_micros bigint NOT NULL,
        PRIMARY KEY (org, reservation_id)
      )`.execute(db);
    await sql`
      CREATE TABLE cost_anomalies (
        org text NOT NULL, seq bigint NOT NULL, time timestamptz NOT NULL, subject text NOT NULL,
        model text NOT NULL, cost_micros bigint NOT NULL, average_micros bigint NOT NULL,
        factor double precision NOT NULL,
        PRIMARY KEY (org, seq)
      )`.execute(db);
  },
  async down(db) {
    for (const table of ['cost_anomalies', 'cost_reservations', 'cost_budget', 'cost_top', 'cost_daily']) {
      await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
    }
  },
};
