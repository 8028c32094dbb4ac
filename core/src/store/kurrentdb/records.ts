import {
  type EventData,
  type JSONEventType,
  jsonEvent,
  type Position,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { canonicalJson, type EventEnvelope, type PositionedEvent } from '../../events/envelope.js';
import { formatCursor, parseCursor, START_CURSOR } from '../cursor.js';

/** The org's events are one stream, `<prefix><org>`; stream revision n holds seq n + 1. */
export const DEFAULT_STREAM_PREFIX = 'proofpane-org-';

/**
 * What a stored event carries: `data` is the envelope without `hash` (so it reads as JSON in
 * KurrentDB's own tools) and the metadata holds the hash, the way the events table keeps `body`
 * and `hash` apart. The hash is checked against the JCS of `data`, which is the body that was hashed.
 */
export type StoredEvent = JSONEventType<string, Record<string, unknown>, { hash: string }>;

export function toStored(envelope: EventEnvelope): EventData<StoredEvent> {
  const { hash, ...body } = envelope;
  return jsonEvent<StoredEvent>({
    id: envelope.id,
    type: envelope.type,
    data: body as unknown as Record<string, unknown>,
    metadata: { hash },
  });
}

/** One event as read back, before any check: its seq by stream revision, and the stored parts. */
export interface ReadRecord {
  seq: number;
  body: Omit<EventEnvelope, 'hash'>;
  hash: string;
  position: Position | undefined;
}

export function readRecord(resolved: ResolvedEvent): ReadRecord | undefined {
  const event = resolved.event;
  if (!event?.isJson) return undefined;
  const metadata = event.metadata as { hash?: unknown } | undefined;
  return {
    seq: Number(event.revision) + 1,
    body: event.data as unknown as Omit<EventEnvelope, 'hash'>,
    hash: typeof metadata?.hash === 'string' ? metadata.hash : '',
    position: event.position,
  };
}

export const envelopeOfRecord = (record: ReadRecord): EventEnvelope => ({
  ...record.body,
  hash: record.hash,
});

/** The text that was hashed, recomputed from what was read. */
export const bodyText = (record: ReadRecord): string => canonicalJson(record.body);

/** A global cursor is `<commit position>.<prepare position>` of `$all`: the same shape as the SQL store's, ordered the same way. */
export const cursorOf = (position: Position): string => formatCursor(position.commit, position.prepare);

export function positionOf(cursor: string | undefined): Position | undefined {
  if (cursor === undefined || cursor === START_CURSOR) return undefined;
  const { txId, position } = parseCursor(cursor);
  return { commit: txId, prepare: position };
}

export const positioned = (record: ReadRecord): PositionedEvent => ({
  cursor: cursorOf(record.position!),
  event: envelopeOfRecord(record),
});
