import { describe, expect, it } from 'vitest';
import { frameValues, outbox } from './frames.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('frames', () => {
  it('reads a lone message and each element of a batch; not JSON is undefined', () => {
    expect(frameValues('{"type":"ping"}')).toEqual([{ type: 'ping' }]);
    expect(frameValues('[{"type":"ping"},{"type":"pong"}]')).toEqual([{ type: 'ping' }, { type: 'pong' }]);
    expect(frameValues('{not json')).toBeUndefined();
  });

  it('writes what was pushed in one turn as one batch frame, a lone message as itself', async () => {
    const written: string[] = [];
    const out = outbox<object>({ write: (text) => written.push(text), batches: () => true });
    out.push({ n: 1 });
    out.push({ n: 2 });
    expect(written).toEqual([]);
    await settle();
    out.push({ n: 3 });
    await settle();
    expect(written).toEqual(['[{"n":1},{"n":2}]', '{"n":3}']);
  });

  it('writes one frame per message while the peer does not read batches', async () => {
    const written: string[] = [];
    let batches = false;
    const out = outbox<object>({ write: (text) => written.push(text), batches: () => batches });
    out.push({ n: 1 });
    out.push({ n: 2 });
    await settle();
    batches = true;
    out.push({ n: 3 });
    out.push({ n: 4 });
    await settle();
    expect(written).toEqual(['{"n":1}', '{"n":2}', '[{"n":3},{"n":4}]']);
  });

  it('writes a full batch at once and splits batches that would grow too large', async () => {
    const written: string[] = [];
    const out = outbox<object>({
      write: (text) => written.push(text),
      batches: () => true,
      maxBatchMessages: 2,
    });
    out.push({ n: 1 });
    out.push({ n: 2 });
    expect(written).toEqual(['[{"n":1},{"n":2}]']);
    out.push({ n: 3 });
    await settle();
    expect(written).toEqual(['[{"n":1},{"n":2}]', '{"n":3}']);

    const big: string[] = [];
    const sized = outbox<object>({ write: (text) => big.push(text), batches: () => true, maxBatchChars: 30 });
    for (const s of ['aaaa', 'bbbb', 'cccc']) sized.push({ s });
    await settle();
    expect(big).toEqual(['[{"s":"aaaa"},{"s":"bbbb"}]', '{"s":"cccc"}']);
    expect(big.flatMap((text) => frameValues(text))).toEqual([{ s: 'aaaa' }, { s: 'bbbb' }, { s: 'cccc' }]);
  });
});
