export interface AnomalyCheck {
  anomalous: boolean;
  averageMicros: number;
  factor: number;
}

/**
 * Below this cost (in micro-dollars: one cent) a call is never flagged, whatever the baseline: against an
 * average of fractions of a cent, a factor of 5 is noise, and alerts on it would drown the real ones.
 */
export const ANOMALY_FLOOR_MICROS = 10_000;

/**
 * Flags a call that costs more than `factor` times the average of the org's recent calls (default 5×)
 * and at least `floorMicros` (default one cent). With fewer than `minSamples` recent calls there is no
 * baseline, and nothing is flagged.
 */
export function checkCostAnomaly(options: {
  costMicros: number;
  recentCostsMicros: readonly number[];
  factor?: number;
  minSamples?: number;
  floorMicros?: number;
}): AnomalyCheck {
  const factor = options.factor ?? 5;
  const recent = options.recentCostsMicros;
  if (recent.length < (options.minSamples ?? 5)) return { anomalous: false, averageMicros: 0, factor };
  const averageMicros = recent.reduce((a, b) => a + b, 0) / recent.length;
  return {
    anomalous:
      averageMicros > 0 &&
      options.costMicros >= (options.floorMicros ?? ANOMALY_FLOOR_MICROS) &&
      options.costMicros > factor * averageMicros,
    averageMicros,
    factor,
  };
}
