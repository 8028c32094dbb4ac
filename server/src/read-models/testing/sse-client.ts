export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/** A minimal EventSource over fetch for tests: parses frames and exposes comments (heartbeats). */
export interface SseClient {
  status: number;
  /** The next message; waits for it. */
  next(): Promise<SseMessage>;
  comments: string[];
  close(): void;
}

export async function openSse(options: {
  url: string;
  headers?: Record<string, string>;
}): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(options.url, {
    headers: { accept: 'text/event-stream', ...options.headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const signal: { wake: (() => void) | null } = { wake: null };
  let failure: unknown = null;
  const parse = (frame: string) => {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) messages.push({ id, event, data: data.join('\n') });
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        signal.wake?.();
      }
      failure = new Error('the stream ended');
    } catch (error) {
      failure = error;
    }
    signal.wake?.();
  })();
  return {
    status: res.status,
    comments,
    async next() {
      while (messages.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          signal.wake = resolve;
        });
      }
      return messages.shift()!;
    },
    close: () => controller.abort(),
  };
}
