/** What is left of a pairing code's life as `m:ss`, or null once it has expired. */
export function remaining(options: { expiresAt: string; now: number }): string | null {
  const ms = Date.parse(options.expiresAt) - options.now;
  if (!(ms > 0)) return null;
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
