import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { parseDaemonMessage } from '../protocol-parse.js';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { runDaemon } from './run.js';

describe('runner heartbeat', () => {
  let t: TempRoot;
  let wss: WebSocketServer;
  const stop = new AbortController();
  beforeEach(async () => {
    t = await tempRoot();
    // A cloud that stopped answering pings: the socket stays open but is dead.
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await once(wss, 'listening');
  });
  afterEach(async () => {
    stop.abort();
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await t.cleanup();
  });

  it('drops a connection whose pings go unanswered and dials again', async () => {
    const logs: string[] = [];
    const connections: WebSocket[] = [];
    const second = new Promise<void>((resolve) =>
      wss.on('connection', (ws) => {
        connections.push(ws);
        if (connections.length === 2) resolve();
      }),
    );
    const hellos: string[] = [];
    wss.on('connection', (ws) =>
      ws.on('message', (data) => {
        const message = parseDaemonMessage(data.toString());
        if (message?.type === 'hello') hellos.push(message.version);
      }),
    );
    const running = runDaemon({
      root: t.root,
      credentials: {
        server: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
        deviceId: 'd',
        org: 'o',
        token: 't',
      },
      log: (line) => logs.push(line),
      heartbeatMs: 50,
      backoff: { baseMs: 10, maxMs: 10 },
      signal: stop.signal,
    });
    await second;
    expect(logs).toContain('heartbeat: no pong from the server; dropping the connection');
    stop.abort();
    await running;
    expect(hellos.length).toBeGreaterThanOrEqual(1);
  });
});
