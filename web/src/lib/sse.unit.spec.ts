import { afterEach, describe, expect, it, vi } from 'vitest';
import { readEvents, type SseMessage, type StreamState, subscribe } from './sse';

const encoder = new TextEncoder();
const body = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });

async function read(chunks: string[]): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  await readEvents(body(chunks), (m) => messages.push(m));
  return messages;
}

describe('readEvents', () => {
  it('yields one message per blank-line-terminated block, joining data lines', async () => {
    expect(await read(['id: 7\nevent: audit\ndata: {"a":\ndata: 1}\n\n', 'data: plain\n\n'])).toEqual([
      { id: '7', event: 'audit', data: '{"a":\n1}' },
      { id: '7', event: 'message', data: 'plain' },
    ]);
  });

  it('skips comments and blocks without data, and reads fields without a space or a value', async () => {
    expect(await read([': heartbeat\n\nevent: ping\n\ndata:x\ndata\n\n'])).toEqual([
      { id: undefined, event: 'message', data: 'x\n' },
    ]);
  });

  it('reads lines that end in CR, LF or CRLF, wherever the chunks split them', async () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
    const whole = await read([text]);
    expect(whole.map((m) => [m.event, m.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ]);
    for (let cut = 1; cut < text.length; cut++)
      expect(await read([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('keeps multi-byte characters split across chunks whole', async () => {
    const bytes = encoder.encode('data: café €\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    await readEvents(stream, (m) => messages.push(m));
    expect(messages.map((m) => m.data)).toEqual(['café €']);
  });

  it('drops a block the stream ended before its blank line', async () => {
    expect(await read(['data: done\n\ndata: cut off\n'])).toEqual([
      { id: undefined, event: 'message', data: 'done' },
    ]);
  });
});

describe('subscribe', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('resumes after the last id it saw, backs off on failures and stops when refused', async () => {
    vi.useFakeTimers();
    const answers = [
      () => new Response(body(['id: 1\ndata: a\n\n', 'id: 2\ndata: b\n\n'])),
      () => new Response('unavailable', { status: 503 }),
      () => new Response(body(['id: 3\ndata: c\n\n'])),
      () => new Response('gone', { status: 401 }),
    ];
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => answers.shift()!());
    vi.stubGlobal('fetch', fetch);
    const messages: string[] = [];
    const states: string[] = [];
    subscribe({
      url: () => '/api/audit/stream?type=cp.',
      headers: () => ({ authorization: 'Bearer pps_abc' }),
      lastEventId: '0',
      onMessage: (m) => messages.push(`${m.id}:${m.data}`),
      onState: (state: StreamState, detail?: string) => states.push(detail ? `${state} (${detail})` : state),
    });
    await vi.runAllTimersAsync();

    expect(messages).toEqual(['1:a', '2:b', '3:c']);
    const sent = fetch.mock.calls.map(([url, init]) => [url, new Headers(init.headers).get('last-event-id')]);
    expect(sent).toEqual([
      ['/api/audit/stream?type=cp.', '0'],
      ['/api/audit/stream?type=cp.', '2'],
      ['/api/audit/stream?type=cp.', '2'],
      ['/api/audit/stream?type=cp.', '3'],
    ]);
    expect(new Headers(fetch.mock.calls[0]?.[1].headers).get('authorization')).toBe('Bearer pps_abc');
    expect(new Headers(fetch.mock.calls[0]?.[1].headers).get('accept')).toBe('text/event-stream');
    expect(states).toEqual([
      'connecting',
      'live',
      'retrying',
      'connecting',
      'retrying (stream answered 503)',
      'retrying',
      'connecting',
      'live',
      'retrying',
      'connecting',
      'closed (the stream was refused (401))',
    ]);
  });

  it('waits twice as long after each failure in a row', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () => new Response('down', { status: 502 }));
    vi.stubGlobal('fetch', fetch);
    const stop = subscribe({ url: () => '/s', headers: () => ({}), onMessage: () => {} });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(3);
    stop();
  });

  it('stops reading and reports closed when its owner stops it', async () => {
    const fetch = vi.fn(
      async (_url: string, init: RequestInit) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode('data: first\n\n'));
              init.signal?.addEventListener('abort', () =>
                controller.error(new DOMException('aborted', 'AbortError')),
              );
            },
          }),
        ),
    );
    vi.stubGlobal('fetch', fetch);
    const states: StreamState[] = [];
    const messages: string[] = [];
    const stop = subscribe({
      url: () => '/s',
      headers: () => ({}),
      onMessage: (m) => messages.push(m.data),
      onState: (state) => states.push(state),
    });
    await vi.waitFor(() => expect(messages).toEqual(['first']));
    stop();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fetch.mock.calls[0]?.[1].signal?.aborted).toBe(true);
    expect(states).toEqual(['connecting', 'live', 'closed']);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
