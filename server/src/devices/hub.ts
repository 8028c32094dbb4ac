import {
  BATCH_FRAMES_SINCE,
  CLOSE_CODES,
  type CloudMessage,
  type DaemonMessage,
  daemonMessageOf,
  frameValues,
  type HelloMessage,
  type Outbox,
  outbox,
  PROTOCOL_VERSION,
  type ToolOutcome,
} from '@proofpane/daemon';
import type { WebSocket } from 'ws';

interface Connection {
  deviceId: string;
  org: string;
  socket: WebSocket;
  hello: HelloMessage | undefined;
  pending: Map<string, (outcome: ToolOutcome) => void>;
  out: Outbox<CloudMessage>;
}

/** Devices connected to other processes of the deployment (`server/src/scale-out/device-relay.ts`). */
export interface RemoteDevices {
  isConnected(deviceId: string, org?: string): boolean;
  call(options: {
    deviceId: string;
    org: string;
    tool: string;
    args: unknown;
    timeoutMs: number;
  }): Promise<ToolOutcome>;
  attached(deviceId: string, org: string): void;
  detached(deviceId: string): void;
  /** Closes the device's socket in whichever process holds it (revocation). */
  disconnect(deviceId: string, reason: string): void;
}

/**
 * The cloud end of `proofpane-daemon run`: one WebSocket per paired device, tool calls
 * routed to it and matched to their results by id. Revoking a device closes its socket
 * with 4401, which tells the daemon to stop retrying.
 */
export class DeviceHub {
  private readonly connections = new Map<string, Connection>();
  /** Call ids only pair a result with its call, so a counter does; it never repeats, even across reconnects. */
  private lastCallId = 0;
  private remote: RemoteDevices | undefined;

  /** Routes calls for devices connected elsewhere through `remote`, and tells it of this process's devices. */
  useRemote(remote: RemoteDevices): void {
    this.remote = remote;
    for (const c of this.connections.values()) remote.attached(c.deviceId, c.org);
  }

  /** The devices connected to this process, for presence announcements. */
  local(): { deviceId: string; org: string }[] {
    return [...this.connections.values()].map((c) => ({ deviceId: c.deviceId, org: c.org }));
  }

  attach(options: { deviceId: string; org: string; socket: WebSocket; onSeen?: () => void }): void {
    const { deviceId, org, socket } = options;
    this.connections.get(deviceId)?.socket.close(CLOSE_CODES.goingAway, 'replaced by a newer connection');
    const connection: Connection = {
      deviceId,
      org,
      socket,
      hello: undefined,
      pending: new Map(),
      // Calls go out as batch frames only once the daemon's hello says it reads them.
      out: outbox({
        write: (text) => socket.send(text),
        batches: () => (connection.hello?.protocol ?? 1) >= BATCH_FRAMES_SINCE,
      }),
    };
    this.connections.set(deviceId, connection);
    this.remote?.attached(deviceId, org);
    this.send(connection, { type: 'welcome', deviceId, org, protocol: PROTOCOL_VERSION });
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const values = frameValues(raw.toString());
      if (!values) return;
      let seen = false;
      for (const value of values) {
        const message = daemonMessageOf(value);
        if (!message) continue;
        if (!seen) {
          seen = true;
          options.onSeen?.();
        }
        this.receive(connection, message);
      }
    });
    socket.on('close', () => {
      if (this.connections.get(deviceId) === connection) {
        this.connections.delete(deviceId);
        this.remote?.detached(deviceId);
      }
      for (const settle of connection.pending.values()) {
        settle({ ok: false, error: { code: 'aborted', message: 'the device disconnected during the call' } });
      }
      connection.pending.clear();
    });
  }

  isConnected(deviceId: string): boolean {
    return this.connections.has(deviceId) || (this.remote?.isConnected(deviceId) ?? false);
  }

  connected(org: string): string[] {
    return [...this.connections.values()].filter((c) => c.org === org).map((c) => c.deviceId);
  }

  /** Sends a tool call to the device and waits for its result (or the timeout, or a disconnect). */
  call(options: {
    deviceId: string;
    org: string;
    tool: string;
    args: unknown;
    timeoutMs: number;
  }): Promise<ToolOutcome> {
    const connection = this.connections.get(options.deviceId);
    if (!connection && this.remote?.isConnected(options.deviceId, options.org))
      return this.remote.call(options);
    if (!connection || connection.org !== options.org) {
      return Promise.resolve({
        ok: false,
        error: { code: 'aborted', message: 'the device is not connected' },
      });
    }
    const id = `c${(++this.lastCallId).toString(36)}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        connection.pending.delete(id);
        this.send(connection, { type: 'tool.cancel', id });
        resolve({
          ok: false,
          error: { code: 'timeout', message: `no result from the device within ${options.timeoutMs} ms` },
        });
      }, options.timeoutMs);
      connection.pending.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.send(connection, { type: 'tool.call', id, tool: options.tool, args: options.args });
    });
  }

  disconnect(deviceId: string, reason: string): void {
    const connection = this.connections.get(deviceId);
    if (connection) connection.socket.close(CLOSE_CODES.unauthorized, reason);
    else this.remote?.disconnect(deviceId, reason);
  }

  /** Closes a socket of this process only (asked by another process, which already looked elsewhere). */
  disconnectLocal(deviceId: string, reason: string): void {
    this.connections.get(deviceId)?.socket.close(CLOSE_CODES.unauthorized, reason);
  }

  closeAll(): void {
    for (const connection of this.connections.values())
      connection.socket.close(CLOSE_CODES.goingAway, 'server stopping');
  }

  private receive(connection: Connection, message: DaemonMessage): void {
    switch (message.type) {
      case 'hello':
        connection.hello = message;
        return;
      case 'pong':
        return;
      case 'tool.result': {
        const settle = connection.pending.get(message.id);
        connection.pending.delete(message.id);
        settle?.(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
        return;
      }
      case 'error': {
        if (!message.id) return;
        const settle = connection.pending.get(message.id);
        connection.pending.delete(message.id);
        settle?.({ ok: false, error: { code: 'io_error', message: message.message } });
        return;
      }
    }
  }

  private send(connection: Connection, message: CloudMessage): void {
    connection.out.push(message);
  }
}
