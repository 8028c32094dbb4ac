import { HITL_STREAM_EVENTS } from '@proofpane/api';
import { EventSource } from 'eventsource';
import type { FetchLike } from './api-client.js';
import type { Scheduler } from './countdown.js';

/** The part of an EventSource the connection uses; the `eventsource` package provides it. */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(
    type: string,
    listener: (event: { data?: unknown; code?: number | undefined }) => void,
  ): void;
  close(): void;
}

export type EventSourceFactory = (url: string, authorization: string) => EventSourceLike;

const CLOSED = 2;

/** The real factory: the `eventsource` package, with the bearer token added to each (re)connect. */
export function eventSourceFactory(fetchFn: FetchLike): EventSourceFactory {
  return (url, authorization) =>
    new EventSource(url, {
      fetch: (input, init) =>
        fetchFn(String(input), {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization },
        }),
    });
}

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export interface SseConnectionOptions {
  factory: EventSourceFactory;
  url: string;
  authorization: string;
  scheduler: Scheduler;
  onWake: (reason: string) => void;
  onStatus: (status: ConnectionStatus) => void;
  maxBackoffMs?: number;
}

/**
 * One org's SSE stream. Every event, and every (re)open, is only a wake-up: the owner then
 * re-reads the pending list over REST, so a missed or duplicated event costs nothing.
 * The library retries dropped connections itself; when it gives up (an HTTP error) this class
 * reconnects with backoff, except on 401/403, which means the token is gone.
 */
export class SseConnection {
  readonly #options: SseConnectionOptions;
  #source: EventSourceLike | undefined;
  #retry: unknown;
  #attempt = 0;
  #stopped = false;

  constructor(options: SseConnectionOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry !== undefined) this.#options.scheduler.clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#source?.close();
    this.#source = undefined;
  }

  #open(): void {
    const { factory, url, authorization, onWake, onStatus } = this.#options;
    onStatus(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const source = factory(url, authorization);
    this.#source = source;
    source.addEventListener('open', () => {
      if (source !== this.#source) return;
      this.#attempt = 0;
      onStatus('connected');
      onWake('open');
    });
    for (const type of HITL_STREAM_EVENTS) {
      source.addEventListener(type, () => {
        if (source === this.#source) onWake(type);
      });
    }
    source.addEventListener('error', (event) => {
      if (source !== this.#source || this.#stopped) return;
      if (event.code === 401 || event.code === 403) {
        this.stop();
        onStatus('unauthorized');
        return;
      }
      onStatus('reconnecting');
      if (source.readyState === CLOSED) this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    this.#source?.close();
    this.#source = undefined;
    const cap = this.#options.maxBackoffMs ?? 30_000;
    const delay = Math.min(cap, 1000 * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#retry = this.#options.scheduler.setTimeout(() => {
      this.#retry = undefined;
      if (!this.#stopped) this.#open();
    }, delay);
  }
}
