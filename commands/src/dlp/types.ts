import { DLP_ENTITY_TYPES, type DlpEntityType } from '@proofpane/api';

/** Stable entity names, part of the HTTP contract: policy documents and audit events hold them. */
export const ENTITY_TYPES = DLP_ENTITY_TYPES;
export type EntityType = DlpEntityType;

/** Entity types that are credentials rather than personal data; the default policy blocks them. */
export const SECRET_ENTITY_TYPES: readonly EntityType[] = ['JWT', 'PRIVATE_KEY', 'API_SECRET'];

/**
 * One detected value, as a span of the scanned text. The value itself is deliberately absent:
 * findings travel to logs and events, values must not.
 */
export interface Finding {
  type: EntityType;
  start: number;
  end: number;
}

/** Placeholder → original value for one request; lives only in memory for the request's lifetime. */
export type DlpVault = Record<string, string>;
