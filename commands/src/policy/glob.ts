/** Compiles `*` / `?` glob patterns into one anchored, case-insensitive RegExp (null when the list is empty). */
export function compileGlobs(patterns: readonly string[]): RegExp | null {
  if (patterns.length === 0) return null;
  const parts = patterns.map((p) =>
    p
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join(''),
  );
  return new RegExp(`^(?:${parts.join('|')})$`, 'is');
}

export function globMatch(compiled: RegExp | null, value: string): boolean {
  return compiled?.test(value) === true;
}
