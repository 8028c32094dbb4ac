import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseOptions {
  heartbeatMs: number;
  /** Ends the stream when the client reads slower than events arrive; it resumes with Last-Event-ID. */
  maxBufferedBytes?: number;
}

export interface SseMessage {
  id?: string | number;
  event: string;
  data: string;
}

/** A message's bytes on the wire; encode once what many streams send. */
export function sseFrame(message: SseMessage): Buffer {
  const id = message.id === undefined ? '' : `id: ${message.id}\n`;
  return Buffer.from(`${id}event: ${message.event}\ndata: ${message.data}\n\n`);
}

/** One Server-Sent Events response written straight to the socket (WHATWG HTML § 9.2). */
export class SseStream {
  private readonly closeListeners: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    private readonly options: SseOptions,
  ) {}

  open(): void {
    this.reply.hijack();
    const raw = this.reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(this.request.id),
    });
    raw.write('retry: 2000\n\n');
    this.heartbeat = setInterval(() => this.comment('heartbeat'), this.options.heartbeatMs);
    this.heartbeat.unref();
    raw.on('close', () => this.finish());
    this.request.raw.on('close', () => this.finish());
  }

  send(message: SseMessage | Buffer): void {
    if (!this.closed) this.write(Buffer.isBuffer(message) ? message : sseFrame(message));
  }

  comment(text: string): void {
    if (!this.closed) this.write(`: ${text}\n\n`);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  end(): void {
    if (!this.closed) this.reply.raw.end();
    this.finish();
  }

  private write(chunk: string | Buffer): void {
    const raw = this.reply.raw;
    raw.write(chunk);
    if (raw.writableLength > (this.options.maxBufferedBytes ?? 8 * 1024 * 1024)) this.end();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
