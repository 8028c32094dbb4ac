import { ANNEX_III_AREAS, type UseCaseStatus, type UseCaseTier } from '@proofpane/api';

/** Words people read for the contract's ids. */
export const STATUS_LABELS: Record<UseCaseStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  approved: 'Approved',
  retired: 'Retired',
};
export const TIER_LABELS: Record<UseCaseTier, string> = {
  prohibited: 'Prohibited',
  high: 'High risk',
  limited: 'Limited risk',
  minimal: 'Minimal risk',
};
export const DATA_LABELS: Record<string, string> = {
  personal: 'Personal data',
  special_category: 'Special-category data',
  children: "Children's data",
  financial: 'Financial data',
  health: 'Health data',
  none: 'None of these',
};
export const AUTONOMY_LABELS: Record<string, string> = {
  assistive: 'Assistive (a person decides)',
  human_in_the_loop: 'Acts with approval',
  human_on_the_loop: 'Acts, a person monitors',
  autonomous: 'Autonomous',
};
export const CONTEXT_LABELS: Record<string, string> = {
  internal: 'Internal',
  customer_facing: 'Customer-facing',
  public_facing: 'Public-facing',
  embedded_product: 'Embedded in a product',
};

export const areaTitle = (uid: string | null | undefined) =>
  uid ? (ANNEX_III_AREAS.find((a) => a.uid === uid)?.title ?? uid) : '—';

/** Approved is good, in review waits for someone, retired and prohibited are the end of the road. */
export const statusTone = (status: UseCaseStatus) =>
  status === 'approved' ? 'ok' : status === 'in_review' ? 'warn' : status === 'retired' ? 'bad' : '';
export const tierTone = (tier: UseCaseTier | null) =>
  tier === 'prohibited' ? 'bad' : tier === 'high' ? 'warn' : tier ? 'ok' : '';

/** The moves a case's status allows, for the lifecycle buttons; the server decides who may make them. */
export function nextMoves(status: UseCaseStatus): { to: UseCaseStatus; label: string; reviewer: boolean }[] {
  switch (status) {
    case 'draft':
      return [
        { to: 'in_review', label: 'Submit for review', reviewer: false },
        { to: 'retired', label: 'Retire', reviewer: true },
      ];
    case 'in_review':
      return [
        { to: 'approved', label: 'Approve', reviewer: true },
        { to: 'draft', label: 'Send back to draft', reviewer: true },
        { to: 'retired', label: 'Retire', reviewer: true },
      ];
    case 'approved':
      return [{ to: 'retired', label: 'Retire', reviewer: true }];
    case 'retired':
      return [];
  }
}
