import type { AuditFilterQuery } from '@proofpane/api';

/** The filters Mission Control offers, sent as query fields to the list, the stream and the CSV export. */
export type AuditFilter = Pick<AuditFilterQuery, 'type' | 'actor' | 'subject' | 'runId' | 'from' | 'to'>;

/** The filter's non-blank fields, ready for a query string. */
export const filterQuery = (filter: AuditFilter): Record<string, string> =>
  Object.fromEntries(
    Object.entries(filter).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as Record<string, string>;
