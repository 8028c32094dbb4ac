import { EventEmitter } from 'node:events';
import { PROTOCOL_VERSION } from '@proofpane/daemon';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { DeviceHub } from './hub.js';

/** The few WebSocket members the hub uses: frames it sends are kept, frames from the daemon are emitted. */
class FakeSocket extends EventEmitter {
  readonly frames: string[] = [];
  send(text: string) {
    this.frames.push(text);
  }
  close() {
    this.emit('close');
  }
  fromDaemon(value: unknown) {
    this.emit('message', Buffer.from(JSON.stringify(value)), false);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const hello = (protocol: number) => ({
  type: 'hello',
  protocol,
  version: '0.1.0',
  platform: 'linux-x64',
  tools: ['read'],
  maxConcurrency: 4,
});

function connect() {
  const hub = new DeviceHub();
  const socket = new FakeSocket();
  hub.attach({ deviceId: 'dev', org: 'org', socket: socket as unknown as WebSocket });
  const call = (path: string) =>
    hub.call({ deviceId: 'dev', org: 'org', tool: 'read', args: { path }, timeoutMs: 10_000 });
  return { hub, socket, call };
}

describe('DeviceHub frames', () => {
  it('welcomes with its protocol version and sends one frame per call to a version 1 daemon', async () => {
    const { socket, call } = connect();
    socket.fromDaemon(hello(1));
    void call('a');
    void call('b');
    await settle();
    expect(socket.frames.map((f) => JSON.parse(f))).toEqual([
      { type: 'welcome', deviceId: 'dev', org: 'org', protocol: PROTOCOL_VERSION },
      expect.objectContaining({ type: 'tool.call', args: { path: 'a' } }),
      expect.objectContaining({ type: 'tool.call', args: { path: 'b' } }),
    ]);
  });

  it('batches the calls of one turn for a version 2 daemon and settles each from a batch of results', async () => {
    const { socket, call } = connect();
    socket.fromDaemon(hello(2));
    await settle();
    socket.frames.length = 0;
    const outcomes = Promise.all([call('a'), call('b')]);
    await settle();
    expect(socket.frames).toHaveLength(1);
    const calls = JSON.parse(socket.frames[0]!) as { id: string; args: { path: string } }[];
    expect(calls.map((c) => c.args.path)).toEqual(['a', 'b']);
    socket.fromDaemon(
      calls.map((c) => ({
        type: 'tool.result',
        id: c.id,
        ok: true,
        result: { content: c.args.path },
        durationMs: 0.1,
      })),
    );
    expect(await outcomes).toEqual([
      { ok: true, result: { content: 'a' } },
      { ok: true, result: { content: 'b' } },
    ]);
  });

  it('settles a call named by an error element in a batch and skips elements it cannot use', async () => {
    const { socket, call } = connect();
    socket.fromDaemon(hello(2));
    await settle();
    const outcome = call('a');
    await settle();
    const { id } = JSON.parse(socket.frames.at(-1)!) as { id: string };
    socket.fromDaemon([{ type: 'nonsense' }, { type: 'error', code: 'bad_message', message: 'no', id }]);
    expect(await outcome).toEqual({ ok: false, error: { code: 'io_error', message: 'no' } });
  });
});
