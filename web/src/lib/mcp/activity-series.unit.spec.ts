import type { AuditEvent } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { activitySeries } from './activity-series';

const at = (iso: string, data: Record<string, unknown>) =>
  ({ type: 'cp.mcp.activity.recorded', time: iso, data }) as unknown as AuditEvent;
const events = [
  at('2026-01-01T10:05:00Z', {
    deviceId: 'dev_a',
    vendor: 'claude-desktop',
    decision: 'allow',
    masked: true,
  }),
  at('2026-01-01T10:20:00Z', {
    deviceId: 'dev_a',
    vendor: 'claude-desktop',
    decision: 'block',
    masked: false,
  }),
  at('2026-01-01T10:40:00Z', {
    deviceId: 'dev_b',
    vendor: 'cursor',
    decision: 'hitl_required',
    masked: false,
  }),
  at('2026-01-01T12:10:00Z', { deviceId: 'dev_b', vendor: 'cursor', decision: 'allow', masked: false }),
  { type: 'cp.mcp.gate.decided', time: '2026-01-01T10:06:00Z', data: {} } as unknown as AuditEvent,
];
const agentOf = (id: string) => (id === 'dev_a' ? 'code_agent' : 'default');
const window = { from: Date.parse('2026-01-01T10:00:00Z'), to: Date.parse('2026-01-01T13:00:00Z') };

describe('MCP activity over time', () => {
  it('counts each hour’s calls and the share of each decision and of masked calls', () => {
    const s = activitySeries({ events, ...window, bucket: 'hour', agentOf });
    expect(s.x).toEqual([0, 1, 2].map((h) => Date.parse('2026-01-01T10:00:00Z') / 1000 + h * 3600));
    expect(s.calls).toEqual([3, 0, 1]);
    expect(s.allow).toEqual([33.3, 0, 100]);
    expect(s.block).toEqual([33.3, 0, 0]);
    expect(s.hitl).toEqual([33.3, 0, 0]);
    expect(s.masked).toEqual([33.3, 0, 0]);
  });

  it('narrows to one vendor and one agent scope', () => {
    expect(activitySeries({ events, ...window, bucket: 'hour', vendor: 'cursor', agentOf }).calls).toEqual([
      1, 0, 1,
    ]);
    const agent = activitySeries({ events, ...window, bucket: 'hour', agent: 'code_agent', agentOf });
    expect(agent.calls).toEqual([2, 0, 0]);
    expect(agent.masked).toEqual([50, 0, 0]);
  });

  it('folds a window into days', () => {
    const s = activitySeries({ events, ...window, bucket: 'day', agentOf });
    expect(s.calls).toEqual([4]);
  });
});
