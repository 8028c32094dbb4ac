import canonicalizeModule from 'canonicalize';

// The package is CommonJS with an ESM-style declaration: its default import is the function itself.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/** The hashed event envelope: the public contract auditors re-implement (docs/event-chain.md). */
export interface EventEnvelope<Type extends string = string, Data = Record<string, unknown>> {
  org: string;
  seq: number;
  id: string;
  type: Type;
  subject: string;
  subjectVersion: number;
  time: string;
  actor: { kind: 'user' | 'apikey' | 'device' | 'agent' | 'system'; id: string };
  data: Data;
  meta: EventMeta;
  prev: string;
  hash: string;
}

export interface EventMeta {
  runId?: string;
  parentRunId?: string;
  correlationId?: string;
  causationId?: string;
  [key: string]: string | undefined;
}

export const GENESIS_PREV = '0'.repeat(64);

/** RFC 8785 canonical JSON. Throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** The exact text whose SHA-256 is an event's `hash`: JCS of the envelope without `hash`. */
export function hashInput(envelope: Omit<EventEnvelope, 'hash'> | EventEnvelope): string {
  const { hash: _hash, ...rest } = envelope as EventEnvelope;
  return canonicalJson(rest);
}
