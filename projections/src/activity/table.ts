import { type Migration, sql } from 'kysely';

/** Governed calls, refusals and spend per org and UTC minute, for Mission Control's tiles and chart. */
export interface ActivityMinutesTable {
  org: string;
  minute: Date;
  calls: number;
  refusals: number;
  cost_micros: string;
}

export const activityMigration: Migration = {
  async up(db) {
    await sql`
      CREATE TABLE activity_minutes (
        org text NOT NULL, minute timestamptz NOT NULL,
        calls integer NOT NULL, refusals integer NOT NULL, cost_micros bigint NOT NULL,
        PRIMARY KEY (org, minute)
      )`.execute(db);
  },
  async down(db) {
    await sql`DROP TABLE IF EXISTS activity_minutes`.execute(db);
  },
};
