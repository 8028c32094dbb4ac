/** Spend levels (percent of the cap) that raise `cp.budget.alert.raised`, once each per org and month. */
export const ALERT_THRESHOLDS = [50, 80, 100] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];

/** Thresholds crossed by `spentMicros` that are above the level already alerted. */
export function newlyCrossed(options: {
  spentMicros: number;
  capMicros: number | null;
  alreadyAlerted: number;
}): AlertThreshold[] {
  const { spentMicros, capMicros, alreadyAlerted } = options;
  if (capMicros === null || capMicros <= 0) return [];
  return ALERT_THRESHOLDS.filter((t) => t > alreadyAlerted && spentMicros * 100 >= capMicros * t);
}

/** `YYYY-MM` of a date in UTC: the budget period. */
export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);
