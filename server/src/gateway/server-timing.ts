import type { GateTimings } from './commands.js';

const ORDER = ['policy', 'budget', 'provider', 'audit'] as const;

/** `Server-Timing` (W3C): one metric per gate that ran, plus the total, in milliseconds. */
export function serverTiming(options: { timings: GateTimings; totalMs: number }): string {
  const parts = ORDER.filter((g) => options.timings[g] !== undefined).map(
    (g) => `${g};dur=${options.timings[g]!.toFixed(2)}`,
  );
  parts.push(`total;dur=${options.totalMs.toFixed(2)}`);
  return parts.join(', ');
}
