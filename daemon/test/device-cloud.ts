import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { HelloMessage, ToolCallMessage, ToolResultMessage } from '../src/protocol.js';
import { parseDaemonMessage } from '../src/protocol-parse.js';

export interface DeviceSocket {
  ws: WebSocket;
  hello: Promise<HelloMessage>;
  /** Sends `tool.call` and resolves with its `tool.result`. */
  call(tool: string, args: unknown): Promise<ToolResultMessage>;
}

/**
 * The cloud end of the device protocol, as a test double: accepts `GET /api/devices/ws` with one bearer token,
 * answers 401 otherwise, and routes calls to whichever daemon connected.
 */
export async function deviceCloud(token: string) {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    path: '/api/devices/ws',
    verifyClient: ({ req }, done) =>
      done(req.headers.authorization === `Bearer ${token}`, 401, 'Unauthorized'),
  });
  await once(wss, 'listening');
  const sockets: DeviceSocket[] = [];
  const waiters: ((s: DeviceSocket) => void)[] = [];
  let seq = 0;
  wss.on('connection', (ws) => {
    const pending = new Map<string, (m: ToolResultMessage) => void>();
    let helloResolve: (m: HelloMessage) => void = () => {};
    const hello = new Promise<HelloMessage>((resolve) => {
      helloResolve = resolve;
    });
    ws.on('message', (data) => {
      const message = parseDaemonMessage(data.toString());
      if (message?.type === 'hello') helloResolve(message);
      if (message?.type === 'tool.result') pending.get(message.id)?.(message);
    });
    const socket: DeviceSocket = {
      ws,
      hello,
      call(tool, args) {
        const id = `c${++seq}`;
        const message: ToolCallMessage = { type: 'tool.call', id, tool, args };
        const result = new Promise<ToolResultMessage>((resolve) => pending.set(id, resolve));
        ws.send(JSON.stringify(message));
        return result;
      },
    };
    sockets.push(socket);
    waiters.shift()?.(socket);
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    sockets,
    /** Resolves with the next daemon connection (or the first unclaimed one). */
    nextConnection(index: number): Promise<DeviceSocket> {
      const existing = sockets[index];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
