export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with full jitter (a uniformly random delay up to base·2^attempt, capped), so a fleet
 * of daemons dropped by one server restart does not reconnect in lockstep.
 */
export function backoff(options: BackoffOptions = {}) {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next(): number {
      const ceiling = Math.min(max, base * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      return Math.round(ceiling * random());
    },
    reset() {
      attempt = 0;
    },
    get attempt() {
      return attempt;
    },
  };
}
