import { type AuditFilter, auditBounds, queryAudit } from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { describeFilter } from './audit-query.js';

const PAGE = 1_000;

export const CSV_COLUMNS = [
  'seq',
  'time',
  'type',
  'subject',
  'subject_version',
  'actor_kind',
  'actor_id',
  'run_id',
  'id',
  'prev',
  'hash',
  'data',
  'meta',
];

/**
 * The rows of an audit export. Bracketed header lines tie the file to the chain: the org, the
 * filters, the export time and the first and last seq with their hashes. The range is fixed when
 * the export starts, so events arriving meanwhile cannot make the header and the rows disagree.
 */
export async function csvRecords(options: {
  db: Kysely<unknown>;
  org: string;
  filter: AuditFilter;
  exportedAt: Date;
}): Promise<AsyncGenerator<string[]>> {
  const { db, org, filter } = options;
  const bounds = await auditBounds({ db, org, filter });
  async function* records(): AsyncGenerator<string[]> {
    yield ['[org]', org];
    yield ['[filters]', describeFilter(filter)];
    yield ['[exported_at]', options.exportedAt.toISOString()];
    yield ['[first_seq]', bounds ? String(bounds.first.seq) : '', bounds?.first.hash ?? ''];
    yield ['[last_seq]', bounds ? String(bounds.last.seq) : '', bounds?.last.hash ?? ''];
    yield ['[count]', String(bounds?.count ?? 0)];
    yield CSV_COLUMNS;
    if (!bounds) return;
    const ranged = { ...filter, toSeq: bounds.last.seq };
    let after: string | undefined;
    do {
      const page = await queryAudit({ db, org, filter: ranged, after, limit: PAGE });
      for (const e of page.events) {
        yield [
          String(e.seq),
          e.time,
          e.type,
          e.subject,
          String(e.subjectVersion),
          e.actor.kind,
          e.actor.id,
          e.meta?.runId ?? '',
          e.id,
          e.prev,
          e.hash,
          JSON.stringify(e.data),
          JSON.stringify(e.meta ?? {}),
        ];
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
  return records();
}
