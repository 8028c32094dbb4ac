import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DaemonMessage } from '../protocol.js';
import { eventually } from '../testing/processes.js';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { dispatcher } from './dispatcher.js';

describe('dispatcher', () => {
  let t: TempRoot;
  let sent: DaemonMessage[];
  beforeEach(async () => {
    t = await tempRoot();
    sent = [];
  });
  afterEach(() => t.cleanup());

  const make = (maxConcurrency: number) =>
    dispatcher({ root: t.root, send: (m) => sent.push(m), maxConcurrency, log: () => {} });
  const resultOf = (id: string) =>
    eventually(() => sent.find((m) => m.type === 'tool.result' && m.id === id), `result ${id}`);

  it('answers app-level pings', () => {
    make(1).receive('{"type":"ping","id":"p1"}');
    expect(sent).toEqual([{ type: 'pong', id: 'p1' }]);
  });

  it('refuses a second call with an id that is still running', async () => {
    const d = make(4);
    d.receive(
      JSON.stringify({ type: 'tool.call', id: 'same', tool: 'bash', args: { command: 'sleep 0.2' } }),
    );
    d.receive(JSON.stringify({ type: 'tool.call', id: 'same', tool: 'read', args: { path: 'x' } }));
    expect(sent).toEqual([
      { type: 'error', code: 'duplicate_id', message: 'call same is already running', id: 'same' },
    ]);
    expect(await resultOf('same')).toMatchObject({ ok: true });
  });

  it('cancels a running call (killing its command) and a queued one', async () => {
    const d = make(1);
    d.receive(JSON.stringify({ type: 'tool.call', id: 'slow', tool: 'bash', args: { command: 'sleep 30' } }));
    d.receive(JSON.stringify({ type: 'tool.call', id: 'queued', tool: 'list', args: {} }));
    expect(d.inFlight).toBe(2);
    d.receive('{"type":"tool.cancel","id":"queued"}');
    expect(await resultOf('queued')).toMatchObject({ ok: false, error: { code: 'aborted' } });
    d.receive('{"type":"tool.cancel","id":"slow"}');
    expect(await resultOf('slow')).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(d.inFlight).toBe(0);
  });

  it('handles a batch frame in order and answers a bad element with its id', async () => {
    await t.file('a.txt', 'alpha');
    const d = make(4);
    d.receive(
      JSON.stringify([
        { type: 'ping', id: 'p1' },
        { type: 'tool.call', id: 'r1', tool: 'read', args: { path: 'a.txt' } },
        { type: 'tool.call', id: 'bad' },
      ]),
    );
    expect(sent).toEqual([
      { type: 'pong', id: 'p1' },
      expect.objectContaining({
        type: 'tool.result',
        id: 'r1',
        ok: true,
        result: expect.objectContaining({ content: 'alpha' }),
      }),
      { type: 'error', code: 'bad_message', message: 'not a valid protocol message', id: 'bad' },
    ]);
    d.receive('not json');
    expect(sent.at(-1)).toEqual({
      type: 'error',
      code: 'bad_message',
      message: 'not a valid protocol message',
    });
  });

  it('answers a read in the turn it arrives, even while every slot is busy', async () => {
    await t.file('a.txt', 'alpha');
    const d = make(1);
    d.receive(JSON.stringify({ type: 'tool.call', id: 'slow', tool: 'bash', args: { command: 'sleep 30' } }));
    d.receive(JSON.stringify({ type: 'tool.call', id: 'r1', tool: 'read', args: { path: 'a.txt' } }));
    expect(sent).toEqual([expect.objectContaining({ type: 'tool.result', id: 'r1', ok: true })]);
    expect(d.inFlight).toBe(1);
    d.abortAll();
  });

  it('tells the runner the protocol version the cloud welcomes it with', () => {
    const welcomed: unknown[] = [];
    dispatcher({
      root: t.root,
      send: () => {},
      maxConcurrency: 1,
      log: () => {},
      onWelcome: (w) => welcomed.push(w),
    }).receive('{"type":"welcome","deviceId":"d","org":"o","protocol":2}');
    expect(welcomed).toEqual([{ type: 'welcome', deviceId: 'd', org: 'o', protocol: 2 }]);
  });
});
