import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_REPLY, type RecordedRequest, type ScriptedReply } from './script.js';

export type VendorHandler = (options: {
  req: IncomingMessage;
  res: ServerResponse;
  request: RecordedRequest;
  reply: ScriptedReply;
}) => void;

/** A scripted local vendor: replies are served in order, then DEFAULT_REPLY (or the `fallback`). */
export interface FakeVendor {
  /** `http://127.0.0.1:<port>` — append the vendor's API prefix for an SDK base URL. */
  url: string;
  requests: RecordedRequest[];
  /** Queues replies for the next requests. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export async function startFakeVendor(options: {
  handler: VendorHandler;
  fallback?: ScriptedReply;
  /** Answers by what was asked (parallel callers arrive in any order); undefined falls back to the queue. */
  respond?: (request: RecordedRequest) => ScriptedReply | undefined;
}): Promise<FakeVendor> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { unparsable: raw };
      }
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
      };
      requests.push(request);
      const reply = options.respond?.(request) ?? queue.shift() ?? options.fallback ?? DEFAULT_REPLY;
      if (reply.delayMs) setTimeout(() => options.handler({ req, res, request, reply }), reply.delayMs);
      else options.handler({ req, res, request, reply });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...replies) => queue.push(...replies),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function startSse(
  res: ServerResponse,
  headers: Record<string, string> = {},
): (data: unknown, event?: string) => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  return (data, event) => {
    res.write(
      `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  };
}
