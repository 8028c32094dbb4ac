import type { NewEvent } from '@proofpane/core';

const system = { kind: 'system' as const, id: 'quality-judge' };

/** A triage item's life as the judge and a reviewer record it, for specs: opened, then assigned and resolved. */
export function triageLife(options: {
  runId: string;
  skill?: string;
  assignee?: string;
  resolution?: 'true_positive' | 'false_positive' | 'fixed';
}): NewEvent[] {
  const itemId = `qt_${options.runId}`;
  const subject = `quality-triage/${options.runId}`;
  const events: NewEvent[] = [
    {
      type: 'cp.quality.triage.opened',
      subject,
      actor: system,
      data: {
        itemId,
        runId: options.runId,
        skill: options.skill ?? 'policy.map_controls',
        reasons: ['l4_below_threshold'],
        output: '{"summary":"covers GDPR Art. 120"}',
        l3: null,
        judgeId: `qj_${options.runId}`,
        score: 2,
        disagreement: null,
        unsupportedClaims: ['Art. 120 applies'],
      },
    },
  ];
  if (options.assignee)
    events.push({
      type: 'cp.quality.triage.assigned',
      subject,
      actor: { kind: 'user', id: 'usr_admin' },
      data: { itemId, assignee: options.assignee },
    });
  if (options.resolution)
    events.push({
      type: 'cp.quality.triage.resolved',
      subject,
      actor: { kind: 'user', id: options.assignee ?? 'usr_admin' },
      data: { itemId, resolution: options.resolution, note: 'checked against the catalogue' },
    });
  return events;
}
