import type { AuditEvent } from '@proofpane/api';

/** One reported MCP tool call, as `cp.mcp.activity.recorded` carries it (no arguments, no results). */
interface Recorded {
  deviceId: string;
  vendor: string;
  decision: 'allow' | 'block' | 'hitl_required';
  masked: boolean;
}

export interface ActivitySeries {
  /** Bucket starts, Unix seconds. */
  x: number[];
  calls: number[];
  /** Percentages of each bucket's calls, 0 where a bucket had none. */
  allow: number[];
  block: number[];
  hitl: number[];
  masked: number[];
}

/**
 * Allow / block / HITL / masked rates per hour or day over a window, from the org's MCP activity
 * events, for one vendor and one agent scope or all of them. A device's agent scope comes from the
 * device list (`agentOf`); a device with none acts in the `default` scope, as the server counts it.
 */
export function activitySeries(options: {
  events: readonly AuditEvent[];
  from: number;
  to: number;
  bucket: 'hour' | 'day';
  vendor?: string;
  agent?: string;
  agentOf: (deviceId: string) => string;
}): ActivitySeries {
  const size = options.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const start = Math.floor(options.from / size) * size;
  const n = Math.max(1, Math.ceil((options.to - start) / size));
  const tally = Array.from({ length: n }, () => ({ calls: 0, allow: 0, block: 0, hitl: 0, masked: 0 }));
  for (const event of options.events) {
    if (event.type !== 'cp.mcp.activity.recorded') continue;
    const data = event.data as unknown as Recorded;
    if (options.vendor && data.vendor !== options.vendor) continue;
    if (options.agent && options.agentOf(data.deviceId) !== options.agent) continue;
    const i = Math.floor((Date.parse(event.time) - start) / size);
    const t = tally[i];
    if (!t) continue;
    t.calls += 1;
    if (data.decision === 'allow') t.allow += 1;
    else if (data.decision === 'block') t.block += 1;
    else t.hitl += 1;
    if (data.masked) t.masked += 1;
  }
  const rate = (k: 'allow' | 'block' | 'hitl' | 'masked') =>
    tally.map((t) => (t.calls ? Math.round((t[k] / t.calls) * 1000) / 10 : 0));
  return {
    x: tally.map((_, i) => (start + i * size) / 1000),
    calls: tally.map((t) => t.calls),
    allow: rate('allow'),
    block: rate('block'),
    hitl: rate('hitl'),
    masked: rate('masked'),
  };
}
