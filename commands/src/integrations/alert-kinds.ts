import type { EventEnvelope } from '@proofpane/core';
import type { SlackAlert } from './slack-blocks.js';

/** What a Slack connection can be marked to post by itself (docs/integrations.md, "Alerts"). */
export const ALERT_KINDS = ['hitl', 'drift', 'budget'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** The event type each alert kind follows. */
export const ALERT_EVENT_TYPES: Record<AlertKind, string> = {
  hitl: 'cp.hitl.requested',
  drift: 'cp.quality.drift.alerted',
  budget: 'cp.budget.alert.raised',
};

/** Alert kinds ride on the connection's settings as one dot-joined identifier (`budget.drift.hitl`). */
export const alertKindsSetting = (kinds: readonly AlertKind[]): string | undefined =>
  kinds.length === 0 ? undefined : [...new Set(kinds)].sort().join('.');

export const parseAlertKinds = (setting: string | undefined): AlertKind[] =>
  (setting ?? '').split('.').filter((k): k is AlertKind => (ALERT_KINDS as readonly string[]).includes(k));

const usd = (micros: number) => (micros / 1_000_000).toFixed(2);
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/**
 * The Slack alert an event becomes, when the connection posts that kind. A HITL request chosen among
 * answers (`consensus`) gets no message: Approve and Deny cannot pick one of them.
 */
export function alertFromEvent(options: {
  event: EventEnvelope;
  kinds: readonly AlertKind[];
  connectionId: string;
}): SlackAlert | undefined {
  const { event, kinds, connectionId } = options;
  const d = event.data as Record<string, unknown>;
  if (event.type === ALERT_EVENT_TYPES.hitl && kinds.includes('hitl')) {
    if (d.kind === 'consensus') return undefined;
    return {
      kind: 'hitl',
      connectionId,
      requestId: String(d.requestId),
      risk: String(d.risk),
      // The request's summary is masked by DLP before it is recorded; nothing else of the arguments goes out.
      summary: `${String(d.target)}: ${String(d.summary)}`,
    };
  }
  if (event.type === ALERT_EVENT_TYPES.drift && kinds.includes('drift')) {
    const baseline = d.baseline as { rate: number; n: number };
    const recent = d.recent as { rate: number; n: number };
    return {
      kind: 'drift',
      skill: String(d.skill),
      signal: String(d.signal),
      summary: `${percent(recent.rate)} over the last ${recent.n} runs, against ${percent(baseline.rate)} over ${baseline.n} before.`,
    };
  }
  if (event.type === ALERT_EVENT_TYPES.budget && kinds.includes('budget')) {
    return {
      kind: 'budget',
      spentUsd: usd(Number(d.spentMicros)),
      capUsd: usd(Number(d.capMicros)),
      summary: `${String(d.threshold)} % of the monthly cap for ${String(d.month)} is spent.`,
    };
  }
  return undefined;
}
