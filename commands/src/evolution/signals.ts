import type { EventEnvelope } from '@proofpane/core';

export type SignalKind =
  | 'l3_unknown'
  | 'l4_below_threshold'
  | 'triage_confirmed'
  | 'schema_repair'
  | 'hitl_denied'
  | 'dlp_blocked'
  | 'cost_anomaly';

/** One event of the log that says a skill's prompt could do better. Only its id and kind travel on. */
export interface Signal {
  eventId: string;
  kind: SignalKind;
  skill: string;
  /** The skill run the event belongs to. */
  runId: string;
}

/** The signal types a dream reads from the log. */
export const SIGNAL_EVENT_TYPES = [
  'cp.skill.invoked',
  'cp.quality.l3.checked',
  'cp.quality.l4.judged',
  'cp.quality.triage.opened',
  'cp.quality.triage.resolved',
  'cp.skill.output.rejected',
  'cp.hitl.requested',
  'cp.hitl.resolved',
  'cp.hitl.expired',
  'cp.gate.policy.decided',
  'cp.cost.anomaly.detected',
] as const;

const TRIAGE_PREFIX = 'quality-triage/';

/** A triage item's subject is named by the run it flags. */
const runOf = (event: EventEnvelope): string | undefined =>
  event.subject.startsWith('run/')
    ? event.subject.slice(4)
    : event.subject.startsWith(TRIAGE_PREFIX)
      ? event.subject.slice(TRIAGE_PREFIX.length)
      : event.meta?.runId;

function kindOf(event: EventEnvelope): SignalKind | undefined {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'cp.quality.l3.checked':
      return Array.isArray(data.unknown) && data.unknown.length > 0 ? 'l3_unknown' : undefined;
    case 'cp.quality.l4.judged':
      // A verdict no judge gave (passed null) says nothing about the prompt.
      return data.passed === false ? 'l4_below_threshold' : undefined;
    case 'cp.quality.triage.resolved':
      // A person confirmed the flag (or fixed what it found); a false positive is no signal.
      return data.resolution === 'true_positive' || data.resolution === 'fixed'
        ? 'triage_confirmed'
        : undefined;
    case 'cp.skill.output.rejected':
      return 'schema_repair';
    case 'cp.hitl.resolved':
      return data.decision === 'deny' ? 'hitl_denied' : undefined;
    case 'cp.hitl.expired':
      return 'hitl_denied';
    case 'cp.gate.policy.decided':
      return data.code === 'dlp_blocked' ? 'dlp_blocked' : undefined;
    case 'cp.cost.anomaly.detected':
      return 'cost_anomaly';
    default:
      return undefined;
  }
}

/**
 * The signals of each skill in a stretch of one org's log, in log order: an event counts for a skill when
 * it belongs to one of the skill's runs (its subject, or `meta.runId` for a run's calls; a HITL decision
 * through the run of the request it decides).
 */
export function skillSignals(events: readonly EventEnvelope[]): Map<string, Signal[]> {
  const skillOfRun = new Map<string, string>();
  const runOfHitl = new Map<string, string>();
  const bySkill = new Map<string, Signal[]>();
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    const run = runOf(event);
    if (event.type === 'cp.skill.invoked' && run && typeof data.skillId === 'string') {
      skillOfRun.set(run, data.skillId);
      continue;
    }
    // A triage item may be opened on a run older than the stretch read: its own event names the skill.
    if (event.type === 'cp.quality.triage.opened' && run && typeof data.skill === 'string') {
      if (!skillOfRun.has(run)) skillOfRun.set(run, data.skill);
      continue;
    }
    if (event.type === 'cp.hitl.requested' && run && typeof data.requestId === 'string') {
      runOfHitl.set(data.requestId, run);
      continue;
    }
    const kind = kindOf(event);
    if (!kind) continue;
    const viaHitl = typeof data.requestId === 'string' ? runOfHitl.get(data.requestId) : undefined;
    const runId = (kind === 'hitl_denied' ? viaHitl : undefined) ?? run ?? '';
    const skill =
      skillOfRun.get(runId) ??
      (kind === 'l4_below_threshold' && typeof data.skill === 'string' ? data.skill : undefined);
    if (!skill) continue;
    const list = bySkill.get(skill) ?? [];
    list.push({ eventId: event.id, kind, skill, runId });
    bySkill.set(skill, list);
  }
  return bySkill;
}
