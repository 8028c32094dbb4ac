/**
 * A compiled list of `*` / `?` glob patterns, matched case-insensitively against the whole value.
 *
 * Matching is done without regular expressions: each pattern is split at its stars into pieces that
 * must occur in order, which is found greedily (leftmost first). That is exact for `*`-separated
 * pieces and needs no backtracking, so a pattern such as `*a*a*a*a*b` against a long model name costs
 * at most one scan per piece, where the equivalent RegExp `.*a.*a.*a.*a.*b` is polynomial in the
 * value's length. Values are compared by UTF-16 code unit after lower-casing, as `/…/is` did.
 */
export interface CompiledGlobs {
  readonly patterns: readonly CompiledGlob[];
}

interface CompiledGlob {
  /** The pattern cut at each `*`; a piece may hold `?`, which matches any one character. */
  pieces: string[];
}

export function compileGlobs(patterns: readonly string[]): CompiledGlobs | null {
  if (patterns.length === 0) return null;
  return { patterns: patterns.map((p) => ({ pieces: p.toLowerCase().split('*') })) };
}

/** Start of the leftmost occurrence of `piece` (`?` = any character) within `value[from, end)`, or -1. */
function find(value: string, piece: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = value.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at <= end - piece.length; at++) {
    if (fitsAt(value, piece, at)) return at;
  }
  return -1;
}

function fitsAt(value: string, piece: string, at: number): boolean {
  if (at < 0 || at + piece.length > value.length) return false;
  for (let k = 0; k < piece.length; k++) {
    if (piece[k] !== '?' && piece[k] !== value[at + k]) return false;
  }
  return true;
}

function matchOne({ pieces }: CompiledGlob, value: string): boolean {
  const first = pieces[0]!;
  if (pieces.length === 1) return first.length === value.length && fitsAt(value, first, 0);
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!fitsAt(value, first, 0) || !fitsAt(value, last, value.length - last.length)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const piece = pieces[k]!;
    if (piece === '') continue;
    const found = find(value, piece, at, end);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}

export function globMatch(compiled: CompiledGlobs | null, value: string): boolean {
  if (compiled === null) return false;
  const lower = value.toLowerCase();
  return compiled.patterns.some((glob) => matchOne(glob, lower));
}
