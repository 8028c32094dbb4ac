import type { EventStore } from '@proofpane/core';
import type { ProjectionsHandle } from '@proofpane/projections';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { apiError } from '../http/errors.js';
import type { LiveHub } from './live-hub.js';
import type { ResolveOrg } from './org.js';
import { SseStream } from './sse.js';

/** What the read-model routes share: the database, the store, the live hub and the running projections. */
export class ReadSide {
  projections: ProjectionsHandle | null = null;
  private readonly streams = new Set<SseStream>();

  constructor(
    readonly options: {
      db: Kysely<unknown>;
      store: EventStore;
      hub: LiveHub;
      resolveOrg: ResolveOrg;
      now: () => Date;
      heartbeatMs: number;
      onError(error: unknown): void;
    },
  ) {}

  get db() {
    return this.options.db;
  }
  get store() {
    return this.options.store;
  }
  get hub() {
    return this.options.hub;
  }
  readonly resolveOrg: ResolveOrg = (request, reply, role) => this.options.resolveOrg(request, reply, role);
  readonly now = () => this.options.now();
  readonly onError = (error: unknown) => this.options.onError(error);

  running(): ProjectionsHandle {
    if (!this.projections) throw apiError('unavailable', 'the read models are starting; retry in a moment');
    return this.projections;
  }

  /** Opens an SSE response that is ended when the server closes. */
  openStream(request: FastifyRequest, reply: FastifyReply): SseStream {
    const sse = new SseStream(request, reply, { heartbeatMs: this.options.heartbeatMs });
    sse.open();
    this.streams.add(sse);
    sse.onClose(() => this.streams.delete(sse));
    return sse;
  }

  endStreams(): void {
    for (const sse of [...this.streams]) sse.end();
  }
}
