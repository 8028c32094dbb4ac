import type { CoverageStatus } from '@proofpane/api';

/** Words for a status, for cell labels and the legend. */
export const statusText: Record<CoverageStatus, string> = {
  evidenced: 'evidenced',
  mapped_without_evidence: 'mapped, no evidence yet',
  not_mapped: 'not mapped',
};

/**
 * A heat-map cell's shade: 0 for not mapped, 1 for mapped without evidence, then 2–5 by evidence count on a
 * log scale against the framework's busiest control, so one noisy control does not wash out the rest.
 */
export function heatLevel(status: CoverageStatus, count: number, max: number): number {
  if (status === 'not_mapped') return 0;
  if (status === 'mapped_without_evidence' || count <= 0) return 1;
  if (max <= 1) return 5;
  const share = Math.log(count) / Math.log(max);
  return 2 + Math.min(3, Math.floor(share * 3.999));
}

/** What a screen reader hears for a cell: uid, title, status and figures. */
export function cellLabel(c: { uid: string; title: string; status: CoverageStatus; count: number }): string {
  const figures =
    c.status === 'evidenced' ? `, ${c.count} evidence ${c.count === 1 ? 'event' : 'events'}` : '';
  return `${c.uid} ${c.title}: ${statusText[c.status]}${figures}`;
}

/** The console path of a control's detail (uids hold colons and spaces, so it travels as a query). */
export const controlHref = (uid: string) => `/compliance/control?uid=${encodeURIComponent(uid)}`;
