import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { WORKTREE_TOOL, worktreeTool } from '../coder/worktree-tool.js';
import { DaemonError, revokedMessage } from '../errors.js';
import { outbox } from '../frames.js';
import { apiUrl } from '../http.js';
import type { DeviceCredentials } from '../pairing/credentials.js';
import { devicePlatform } from '../pairing/pair.js';
import { BATCH_FRAMES_SINCE, CLOSE_CODES, type DaemonMessage, PROTOCOL_VERSION } from '../protocol.js';
import type { Root } from '../tools/confine.js';
import { TOOL_NAMES } from '../tools/schemas.js';
import { DAEMON_VERSION } from '../version.js';
import { type BackoffOptions, backoff } from './backoff.js';
import { dispatcher } from './dispatcher.js';

export interface RunOptions {
  root: Root;
  credentials: DeviceCredentials;
  log: (line: string) => void;
  /** Interval of WebSocket pings; a connection that misses one pong is dropped and redialled. */
  heartbeatMs?: number;
  backoff?: BackoffOptions;
  maxConcurrency?: number;
  /** Stops the runner: the socket is closed normally and `runDaemon` resolves. */
  signal?: AbortSignal;
}

type Ended =
  | { kind: 'closed'; code: number; reason: string; openMs: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'unauthorized' };

/**
 * Measured with 100 reads in flight: batches of 10 to 32 results roughly halved the median round trip against
 * one batch per turn, since the cloud parses the first while the daemon reads on; 16 sits in the middle.
 */
const RESULTS_PER_BATCH = 16;

/** A connection that stayed up this long counts as healthy: the next drop starts the backoff afresh. */
const STABLE_MS = 10_000;

export function deviceSocketUrl(server: string): URL {
  const url = apiUrl(server, '/api/devices/ws');
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

function connectOnce(options: RunOptions, url: URL): Promise<Ended> {
  const { log } = options;
  const maxConcurrency = options.maxConcurrency ?? 64;
  return new Promise((resolve) => {
    let settled = false;
    let openedAt = 0;
    let heartbeat: NodeJS.Timeout | undefined;
    let lastError = '';
    const ws = new WebSocket(url, {
      headers: {
        authorization: `Bearer ${options.credentials.token}`,
        'user-agent': `proofpane-daemon/${DAEMON_VERSION}`,
      },
      handshakeTimeout: 10_000,
      maxPayload: 64 * 1024 * 1024,
      // Compression would run every frame through the zlib thread pool: latency matters more on this link.
      perMessageDeflate: false,
    });
    // Results go out as batch frames only once the cloud's welcome says it reads them.
    let cloudProtocol = 1;
    const out = outbox<DaemonMessage>({
      write: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      batches: () => cloudProtocol >= BATCH_FRAMES_SINCE,
      maxBatchMessages: RESULTS_PER_BATCH,
    });
    const send = (message: DaemonMessage) => out.push(message);
    const calls = dispatcher({
      root: options.root,
      extraTools: { [WORKTREE_TOOL]: worktreeTool(options.root) },
      send,
      maxConcurrency,
      log,
      onWelcome: (welcome) => {
        cloudProtocol = welcome.protocol ?? 1;
      },
    });
    const settle = (ended: Ended) => {
      if (settled) return;
      settled = true;
      clearInterval(heartbeat);
      calls.abortAll();
      options.signal?.removeEventListener('abort', onStop);
      resolve(ended);
    };
    const onStop = () => ws.close(CLOSE_CODES.normal, 'daemon stopping');
    options.signal?.addEventListener('abort', onStop, { once: true });

    ws.on('unexpected-response', (request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      request.destroy();
      settle(
        status === 401
          ? { kind: 'unauthorized' }
          : { kind: 'failed', reason: `HTTP ${status} on the WebSocket upgrade` },
      );
    });
    ws.on('open', () => {
      openedAt = performance.now();
      log(`connected to ${url.origin}`);
      send({
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        version: DAEMON_VERSION,
        deviceId: options.credentials.deviceId,
        platform: devicePlatform(),
        tools: [...TOOL_NAMES, WORKTREE_TOOL],
        maxConcurrency,
      });
      let alive = true;
      ws.on('pong', () => {
        alive = true;
      });
      heartbeat = setInterval(() => {
        if (!alive) {
          log('heartbeat: no pong from the server; dropping the connection');
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();
      }, options.heartbeatMs ?? 15_000);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return send({
          type: 'error',
          code: 'bad_message',
          message: 'binary frames are not part of the protocol',
        });
      calls.receive(data.toString());
    });
    ws.on('error', (err) => {
      lastError = (err as NodeJS.ErrnoException).code ?? err.message;
    });
    ws.on('close', (code, reason) => {
      if (code === CLOSE_CODES.unauthorized) return settle({ kind: 'unauthorized' });
      if (openedAt === 0) return settle({ kind: 'failed', reason: lastError || `closed with code ${code}` });
      settle({ kind: 'closed', code, reason: reason.toString(), openMs: performance.now() - openedAt });
    });
  });
}

/**
 * The cloud-paired runner: holds one WebSocket to the cloud, executes the tool calls routed to it and
 * redials with jittered exponential backoff. Resolves when `signal` aborts; rejects with `device_revoked`
 * when the server refuses the token, because retrying a revoked token can never succeed.
 */
export async function runDaemon(options: RunOptions): Promise<void> {
  const url = deviceSocketUrl(options.credentials.server);
  const delays = backoff(options.backoff);
  while (!options.signal?.aborted) {
    const ended = await connectOnce(options, url);
    if (ended.kind === 'unauthorized') throw new DaemonError('device_revoked', revokedMessage);
    if (options.signal?.aborted) return;
    if (ended.kind === 'closed' && ended.openMs >= STABLE_MS) delays.reset();
    const delay = delays.next();
    const why =
      ended.kind === 'closed'
        ? `connection closed (${ended.code}${ended.reason ? ` ${ended.reason}` : ''})`
        : `cannot connect to ${url.origin} (${ended.reason})`;
    options.log(`${why}; reconnecting in ${delay} ms`);
    await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
