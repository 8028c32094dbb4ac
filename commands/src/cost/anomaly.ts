export interface AnomalyCheck {
  anomalous: boolean;
  averageMicros: number;
  factor: number;
}

/**
 * Flags a call that costs more than `factor` times the average of the org's recent calls (default 5×).
 * With fewer than `minSamples` recent calls there is no baseline, and nothing is flagged.
 */
export function checkCostAnomaly(options: {
  costMicros: number;
  recentCostsMicros: readonly number[];
  factor?: number;
  minSamples?: number;
}): AnomalyCheck {
  const factor = options.factor ?? 5;
  const recent = options.recentCostsMicros;
  if (recent.length < (options.minSamples ?? 5)) return { anomalous: false, averageMicros: 0, factor };
  const averageMicros = recent.reduce((a, b) => a + b, 0) / recent.length;
  return {
    anomalous: averageMicros > 0 && options.costMicros > factor * averageMicros,
    averageMicros,
    factor,
  };
}
