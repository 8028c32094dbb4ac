/** Stable entity names: they appear in policy documents and in audit events, so never rename one. */
export const ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'JWT',
  'PRIVATE_KEY',
  'API_SECRET',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

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
