import { describe, expect, it } from 'vitest';
import { cloudMessage, daemonMessage } from './protocol.js';
import { toolCallOf, toolResultOf } from './protocol-hot-path.js';
import { cloudMessageOf, daemonMessageOf } from './protocol-parse.js';

const calls: unknown[] = [
  { type: 'tool.call', id: 'c1', tool: 'read', args: { path: 'a.txt' } },
  { type: 'tool.call', id: 'c1', tool: 'read', args: { path: 'a.txt' }, extra: true },
  { type: 'tool.call', id: 'c1', tool: 'read' },
  { type: 'tool.call', id: '', tool: 'read', args: {} },
  { type: 'tool.call', id: 'x'.repeat(129), tool: 'read', args: {} },
  { type: 'tool.call', id: 'c1', tool: '', args: {} },
  { type: 'tool.call', id: 7, tool: 'read', args: {} },
  { type: 'tool.call', id: 'c1', args: {} },
  [{ type: 'tool.call', id: 'c1', tool: 'read', args: {} }],
  null,
  'tool.call',
];

const results: unknown[] = [
  { type: 'tool.result', id: 'c1', ok: true, result: { content: 'x' }, durationMs: 0.5 },
  { type: 'tool.result', id: 'c1', ok: true, durationMs: 0 },
  { type: 'tool.result', id: 'c1', ok: true, result: 1, durationMs: 1, extra: 'dropped' },
  { type: 'tool.result', id: 'c1', ok: true, result: null, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: false, error: { code: 'not_found', message: 'gone' }, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: false, error: { code: 'no_such_code', message: 'x' }, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: false, error: { code: 'not_found' }, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: false, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: 'yes', result: 1, durationMs: 1 },
  { type: 'tool.result', id: 'c1', ok: true, result: 1, durationMs: '1' },
  { type: 'tool.result', id: 'c1', ok: true, result: 1 },
  { type: 'tool.result', ok: true, result: 1, durationMs: 1 },
  { type: 'tool.result', id: '', ok: true, result: 1, durationMs: 1 },
];

const zodVerdict = (schema: typeof cloudMessage | typeof daemonMessage, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

describe('protocol hot path', () => {
  it('accepts exactly the tool.call messages the schema accepts, with the same shape', () => {
    for (const value of calls) {
      const fast = toolCallOf(value);
      if (fast) expect(fast, JSON.stringify(value)).toEqual(zodVerdict(cloudMessage, value));
      expect(cloudMessageOf(value), JSON.stringify(value)).toEqual(zodVerdict(cloudMessage, value));
    }
    expect(calls.filter((value) => toolCallOf(value)).length).toBe(2);
    expect(calls.filter((value) => cloudMessageOf(value)).length).toBe(2);
  });

  it('accepts exactly the tool.result messages the schema accepts, with the same shape', () => {
    for (const value of results) {
      const fast = toolResultOf(value);
      if (fast) expect(fast, JSON.stringify(value)).toEqual(zodVerdict(daemonMessage, value));
      expect(daemonMessageOf(value), JSON.stringify(value)).toEqual(zodVerdict(daemonMessage, value));
    }
    expect(results.filter((value) => toolResultOf(value)).length).toBe(4);
    expect(results.filter((value) => daemonMessageOf(value)).length).toBe(4);
  });
});
