import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/fakes.js';
import { type ConnectionStatus, type EventSourceLike, SseConnection } from './sse-connection.js';

type Listener = (event: { data?: unknown; code?: number }) => void;

class FakeSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  readonly listeners = new Map<string, Listener[]>();
  constructor(readonly authorization: string) {}
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, event: { data?: unknown; code?: number } = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function setup() {
  const clock = new ManualClock();
  const sources: FakeSource[] = [];
  const wakes: string[] = [];
  const statuses: ConnectionStatus[] = [];
  const connection = new SseConnection({
    factory: (_url, authorization) => {
      const source = new FakeSource(authorization);
      sources.push(source);
      return source;
    },
    url: 'https://pp.example.com/api/hitl/stream',
    authorization: 'Bearer ppa_x',
    scheduler: clock,
    onWake: (reason) => wakes.push(reason),
    onStatus: (status) => statuses.push(status),
  });
  connection.start();
  return { clock, sources, wakes, statuses, connection };
}

describe('SseConnection', () => {
  it('wakes the owner on open and on every HITL event', () => {
    const { sources, wakes, statuses } = setup();
    expect(sources[0]?.authorization).toBe('Bearer ppa_x');
    sources[0]?.emit('open');
    sources[0]?.emit('hitl.requested', { data: '{"id":"h1"}' });
    sources[0]?.emit('hitl.resolved', { data: '{"id":"h1"}' });
    expect(wakes).toEqual(['open', 'hitl.requested', 'hitl.resolved']);
    expect(statuses.at(-1)).toBe('connected');
  });

  it('reconnects with growing backoff after the stream fails, and reconciles on reopen', () => {
    const { clock, sources, wakes, statuses } = setup();
    const fail = (index: number) => {
      const source = sources[index];
      if (!source) throw new Error(`no source ${index}`);
      source.readyState = 2;
      source.emit('error', { code: 502 });
    };
    fail(0);
    expect(statuses.at(-1)).toBe('reconnecting');
    clock.advance(999);
    expect(sources).toHaveLength(1);
    clock.advance(1);
    expect(sources).toHaveLength(2);
    fail(1);
    clock.advance(1_999);
    expect(sources).toHaveLength(2);
    clock.advance(1);
    expect(sources).toHaveLength(3);
    sources[2]?.emit('open');
    expect(wakes).toEqual(['open']);
  });

  it('leaves transient drops to the library without opening a second stream', () => {
    const { clock, sources, statuses } = setup();
    sources[0]?.emit('error', {});
    clock.advance(120_000);
    expect(sources).toHaveLength(1);
    expect(statuses.at(-1)).toBe('reconnecting');
  });

  it('stops for good on 401 and reports the token as unauthorised', () => {
    const { clock, sources, statuses } = setup();
    sources[0]?.emit('error', { code: 401 });
    clock.advance(120_000);
    expect(sources).toHaveLength(1);
    expect(sources[0]?.closed).toBe(true);
    expect(statuses.at(-1)).toBe('unauthorized');
  });
});
