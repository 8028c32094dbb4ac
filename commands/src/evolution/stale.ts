const DAY_MS = 86_400_000;

/**
 * The `stale_after_days` rule: an approved gene is stale when no capsule holding it answered a run for
 * that many days, counted from its last such run, or from its approval when none did.
 */
export function staleSince(options: {
  approvedAt: string;
  lastRunAt: string | null;
  now: Date;
  staleAfterDays: number;
}): { stale: boolean; lastUsedAt: string } {
  const lastUsedAt =
    options.lastRunAt !== null && Date.parse(options.lastRunAt) > Date.parse(options.approvedAt)
      ? options.lastRunAt
      : options.approvedAt;
  return {
    stale: options.now.getTime() - Date.parse(lastUsedAt) >= options.staleAfterDays * DAY_MS,
    lastUsedAt,
  };
}
