/** One Server-Sent Event as the WHATWG parser yields it. */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Reads a text/event-stream response body into messages. `fetch` is used instead of EventSource so
 * the bearer token travels in a header, never in a URL.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onMessage({ id, event: event || 'message', data: data.join('\n') });
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  };
  const lines = (final: boolean) => {
    let end = buffer.search(/\r\n|\r|\n/);
    // A CR ending the chunk may be the first half of a CRLF: the next chunk tells.
    while (end !== -1 && (final || end < buffer.length - 1 || buffer[end] !== '\r')) {
      const newline = buffer.startsWith('\r\n', end) ? 2 : 1;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + newline);
      end = buffer.search(/\r\n|\r|\n/);
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    lines(false);
  }
  lines(true);
}

export type StreamState = 'connecting' | 'live' | 'retrying' | 'closed';

/**
 * Keeps an SSE subscription open: reconnects with backoff and resumes with Last-Event-ID, so a
 * dropped connection neither loses nor repeats events. Returns a function that stops it.
 */
export function subscribe(options: {
  url: () => string;
  headers: () => Record<string, string>;
  lastEventId?: string | undefined;
  onMessage: (m: SseMessage) => void;
  onState?: (state: StreamState, detail?: string) => void;
}): () => void {
  const controller = new AbortController();
  let lastId = options.lastEventId;
  let delay = 500;
  const run = async () => {
    while (!controller.signal.aborted) {
      options.onState?.('connecting');
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers() };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const response = await fetch(options.url(), { headers, signal: controller.signal });
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          options.onState?.('closed', `the stream was refused (${response.status})`);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        options.onState?.('live');
        delay = 500;
        await readEvents(response.body, (message) => {
          if (message.id !== undefined) lastId = message.id;
          options.onMessage(message);
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        options.onState?.('retrying', (error as Error).message);
      }
      if (controller.signal.aborted) return;
      options.onState?.('retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15_000);
    }
  };
  void run();
  return () => {
    controller.abort();
    options.onState?.('closed');
  };
}
