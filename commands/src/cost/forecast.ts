/** Month-end spend projections in micro-dollars, as shown next to the budget cap. */
export interface MonthForecast {
  /** Spend so far extrapolated at the month's average rate. */
  linearMicros: number;
  /** Spend so far plus the last seven days' daily average for each remaining day. */
  rolling7dMicros: number;
  /** The higher of the two, plus 10%. */
  worstCaseMicros: number;
}

const DAY_MS = 86_400_000;

function monthBounds(now: Date): { start: number; end: number } {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return { start, end };
}

/**
 * Projects the month-end spend (UTC months). `last7DaysMicros` is the spend of the seven days before `now`
 * (fewer days early in the month are fine: the average uses the days that exist).
 */
export function forecastMonthEnd(options: {
  spentMicros: number;
  last7DaysMicros: number;
  now: Date;
}): MonthForecast {
  const { spentMicros, last7DaysMicros, now } = options;
  const { start, end } = monthBounds(now);
  const t = now.getTime();
  const elapsed = Math.max(t - start, 1);
  const remaining = Math.max(end - t, 0);
  const linearMicros = Math.ceil(spentMicros * ((end - start) / elapsed));
  const windowDays = Math.min(7, elapsed / DAY_MS);
  const daily = windowDays > 0 ? last7DaysMicros / Math.max(windowDays, 1 / 24) : 0;
  const rolling7dMicros = Math.ceil(spentMicros + daily * (remaining / DAY_MS));
  const worstCaseMicros = Math.ceil(Math.max(linearMicros, rolling7dMicros) * 1.1);
  return { linearMicros, rolling7dMicros, worstCaseMicros };
}
