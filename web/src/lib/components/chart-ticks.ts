/**
 * Axis labels for a chart's tick values, distinct however small the amounts: a chart of calls that
 * cost millionths of a dollar gets `$0.000002, $0.000004`, never `$0.00, $0.00`. Dollars keep two
 * decimals from a cent upwards; below that, as many as the step between ticks needs (at most six:
 * a micro-dollar, the ledger's unit).
 */
export function usdTickLabels(values: readonly number[]): string[] {
  const decimals = decimalsFor(values, 2, 6);
  return values.map((v) => `$${v.toFixed(decimals)}`);
}

/** Counts as integers, with thousands separators; fractional ticks of a small count are dropped. */
export function countTickLabels(values: readonly number[]): string[] {
  return values.map((v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : ''));
}

function decimalsFor(values: readonly number[], min: number, max: number): number {
  const finite = values.filter((v) => Number.isFinite(v));
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < finite.length; i++) {
    const step = Math.abs(finite[i]! - finite[i - 1]!);
    if (step > 0) smallest = Math.min(smallest, step);
  }
  if (!Number.isFinite(smallest)) {
    const top = Math.max(0, ...finite.map(Math.abs));
    smallest = top > 0 ? top : 1;
  }
  for (let d = min; d < max; d++) {
    const labels = finite.map((v) => v.toFixed(d));
    if (new Set(labels).size === labels.length && Math.abs(smallest) >= 10 ** -d) return d;
  }
  return max;
}

/**
 * The y range of an amount axis: from zero to a little above the largest value, so a series of
 * micro-dollar amounts fills the chart instead of lying flat under a one-cent minimum.
 */
export function amountRange(max: number): [number, number] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  return [0, max * 1.15];
}
