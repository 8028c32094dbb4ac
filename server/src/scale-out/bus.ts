import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The one PostgreSQL channel every process of a deployment listens on. */
export const BUS_CHANNEL = 'proofpane_bus';
/** NOTIFY payloads stop at 8,000 bytes; a larger message waits in a table and the notice names its row. */
export const MAX_MESSAGE_BYTES = 7_800;
/** Unlogged: a parked message is worth nothing after a crash. Rows are read once, or swept after a minute. */
const PARKED = 'proofpane_bus_parked';

type Handler = (payload: unknown, from: string) => void;

/**
 * Messages between the processes of one deployment (docs/decisions/0034): commits, applied
 * projection batches, device presence and relayed device calls. Nothing durable travels here — a
 * missed message costs at most a subscriber's poll interval — and no secret or body does either.
 */
export interface PeerBus {
  readonly processId: string;
  /** False when this process is alone (PGlite, or no DATABASE_URL): publishing does nothing. */
  readonly shared: boolean;
  publish(topic: string, payload: unknown, to?: string): Promise<void>;
  subscribe(topic: string, handler: Handler): () => void;
  close(): Promise<void>;
}

class Handlers {
  private readonly byTopic = new Map<string, Set<Handler>>();
  add(topic: string, handler: Handler): () => void {
    let set = this.byTopic.get(topic);
    if (!set) {
      set = new Set();
      this.byTopic.set(topic, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }
  deliver(topic: string, payload: unknown, from: string): void {
    for (const handler of this.byTopic.get(topic) ?? []) handler(payload, from);
  }
}

/** A process on its own: nobody else to tell. */
export function localBus(): PeerBus {
  const handlers = new Handlers();
  return {
    processId: randomUUID(),
    shared: false,
    publish: async () => {},
    subscribe: (topic, handler) => handlers.add(topic, handler),
    close: async () => {},
  };
}

interface Wire {
  t: string;
  f: string;
  to?: string;
  p?: unknown;
  /** The parked row holding `p` when it was too large to notify. */
  ref?: string;
}

/**
 * LISTEN/NOTIFY on a dedicated connection, reconnecting after a second when it drops. A process
 * ignores its own messages and those addressed to another process.
 */
export async function openPgBus(options: { url: string; onError(error: unknown): void }): Promise<PeerBus> {
  const processId = randomUUID();
  const handlers = new Handlers();
  let client: pg.Client | undefined;
  let closed = false;
  let reconnect: NodeJS.Timeout | undefined;
  // One query at a time on the connection: pg queues overlapping ones but is retiring that behaviour.
  let chain: Promise<unknown> = Promise.resolve();
  const query = <R extends pg.QueryResultRow>(on: pg.Client, text: string, values?: unknown[]) => {
    const result = chain.then(() => on.query<R>(text, values));
    chain = result.catch(() => undefined);
    return result;
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.url, application_name: 'proofpane-bus' });
    next.on('notification', (message) => {
      if (message.channel !== BUS_CHANNEL || !message.payload) return;
      let wire: Wire;
      try {
        wire = JSON.parse(message.payload) as Wire;
      } catch {
        return;
      }
      if (wire.f === processId || (wire.to !== undefined && wire.to !== processId)) return;
      const deliver = (payload: unknown) => {
        try {
          handlers.deliver(wire.t, payload, wire.f);
        } catch (error) {
          options.onError(error);
        }
      };
      if (wire.ref === undefined) return deliver(wire.p);
      query<{ body: string }>(next, `DELETE FROM ${PARKED} WHERE id = $1 RETURNING body`, [wire.ref]).then(
        ({ rows }) => rows[0] && deliver(JSON.parse(rows[0].body)),
        options.onError,
      );
    });
    const lost = (error?: unknown) => {
      if (client !== next) return;
      client = undefined;
      if (error) options.onError(error);
      next.end().catch(() => {});
      if (!closed) reconnect = setTimeout(() => void connect().catch(options.onError), 1_000);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    await next.connect();
    await next.query(
      `CREATE UNLOGGED TABLE IF NOT EXISTS ${PARKED} (id text PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
    );
    await next.query(`DELETE FROM ${PARKED} WHERE at < now() - interval '1 minute'`);
    await next.query(`LISTEN ${BUS_CHANNEL}`);
    client = next;
    handlers.deliver('bus.connected', null, processId);
  };
  await connect();
  return {
    processId,
    shared: true,
    async publish(topic, payload, to) {
      const head = { t: topic, f: processId, ...(to ? { to } : {}) };
      let text = JSON.stringify({ ...head, p: payload } satisfies Wire);
      if (!client) return;
      if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
        // Only addressed messages may be parked: the one reader deletes the row as it reads it.
        if (!to) throw new Error(`broadcast ${topic} is over ${MAX_MESSAGE_BYTES} bytes`);
        const ref = randomUUID();
        await query(client, `INSERT INTO ${PARKED} (id, body) VALUES ($1, $2)`, [
          ref,
          JSON.stringify(payload),
        ]);
        text = JSON.stringify({ ...head, ref } satisfies Wire);
      }
      await query(client, 'SELECT pg_notify($1, $2)', [BUS_CHANNEL, text]);
    },
    subscribe: (topic, handler) => handlers.add(topic, handler),
    async close() {
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
