import type { EntityType, Finding } from './types.js';

/** Entity type → count: the only trace of DLP findings that events and logs may carry. */
export type DlpSummary = Partial<Record<EntityType, number>>;

export function summarize(findings: readonly Finding[]): DlpSummary {
  const out: DlpSummary = {};
  for (const f of findings) out[f.type] = (out[f.type] ?? 0) + 1;
  return out;
}

/** Adds counts of several texts together. */
export function mergeSummaries(summaries: readonly DlpSummary[]): DlpSummary {
  const out: DlpSummary = {};
  for (const s of summaries) {
    for (const [type, n] of Object.entries(s) as [EntityType, number][]) out[type] = (out[type] ?? 0) + n;
  }
  return out;
}
