import { RE2JS } from 're2js';
import { ToolError } from './tool-error.js';

/**
 * `glob` patterns (`**`, `*`, `?`, `[…]`, `{a,b}`, `@(a|b)`, `?(…)`, `*(…)`, `+(…)`) matched without a
 * backtracking RegExp. minimatch compiles each path segment to a JavaScript RegExp, so `+(a|aa)c` or
 * `*a*a*a*a*a*b` against a long file name backtracks exponentially or polynomially; here each segment
 * runs on RE2 (linear), and `**` is matched by a table over (pattern segment, path segment), so a
 * path is checked in time proportional to the product of the two segment counts.
 */

const GLOBSTAR = Symbol('**');
type Segment = typeof GLOBSTAR | { literal: string } | { re2: RE2JS; dotted: boolean };

export interface GlobMatcher {
  /** Whether the relative path (with `/`) matches. `partial`: whether a path below it still could. */
  match(path: string, partial?: boolean): boolean;
}

/** Expansions of one `{a,b}` pattern the tool accepts (`{a,b}{c,d}` is four). */
const MAX_EXPANSIONS = 256;

const invalid = (pattern: string, why: string) =>
  new ToolError('invalid_arguments', `pattern: ${pattern}: ${why}`);

/** Index of the `}` closing the `{` at `open`, or -1; `commas` gets the top-level comma positions. */
function closeBrace(p: string, open: number, commas: number[]): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const ch = p[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
    else if (ch === ',' && depth === 1) commas.push(i);
  }
  return -1;
}

/** `{a,b}` expansion, innermost-last; a brace without a top-level comma stays literal, as in minimatch. */
function expandBraces(pattern: string, whole: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    const commas: number[] = [];
    const close = closeBrace(pattern, i, commas);
    if (close < 0 || commas.length === 0) continue;
    const head = pattern.slice(0, i);
    const tails = expandBraces(pattern.slice(close + 1), whole);
    const bounds = [i, ...commas, close];
    const out: string[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      for (const alt of expandBraces(pattern.slice(bounds[k]! + 1, bounds[k + 1]), whole)) {
        for (const tail of tails) {
          out.push(head + alt + tail);
          if (out.length > MAX_EXPANSIONS) {
            throw invalid(whole, `the braces expand to more than ${MAX_EXPANSIONS} patterns`);
          }
        }
      }
    }
    return out;
  }
  return [pattern];
}

/** RE2 source for one path segment's glob syntax. */
function translate(p: string, whole: string): string {
  let out = '';
  let i = 0;
  const group = (): string => {
    // Called with p[i] at the `(` of an extglob; returns the alternatives as RE2, leaving i after `)`.
    let depth = 0;
    const start = i + 1;
    const parts: string[] = [];
    let from = start;
    for (; i < p.length; i++) {
      const ch = p[i];
      if (ch === '\\') i++;
      else if (ch === '(') depth++;
      else if (ch === '|' && depth === 1) {
        parts.push(p.slice(from, i));
        from = i + 1;
      } else if (ch === ')' && --depth === 0) {
        parts.push(p.slice(from, i));
        i++;
        return `(?:${parts.map((part) => translate(part, whole)).join('|')})`;
      }
    }
    throw invalid(whole, 'an extglob group is not closed');
  };
  while (i < p.length) {
    const ch = p[i]!;
    const next = p[i + 1];
    if ('@?*+!'.includes(ch) && next === '(') {
      if (ch === '!') throw invalid(whole, 'negated extglobs !(…) are not supported');
      i++;
      const alternatives = group();
      out += ch === '@' ? alternatives : `${alternatives}${ch}`;
      continue;
    }
    if (ch === '\\' && next !== undefined) {
      out += RE2JS.quote(next);
      i += 2;
    } else if (ch === '*') {
      out += '[^/]*';
      i++;
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '[') {
      const close = classEnd(p, i);
      if (close < 0) {
        out += '\\[';
        i++;
        continue;
      }
      let body = p.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      // Inside a class only `\`, `]`, `^` and `[` are special to RE2; escape the last two.
      body = body.replace(/\\(.)|([[^])/g, (m, esc: string | undefined) => (esc ? m : `\\${m}`));
      out += `[${negated ? '^/' : ''}${body}]`;
      i = close + 1;
    } else {
      out += RE2JS.quote(ch);
      i++;
    }
  }
  return out;
}

/** Index of the `]` closing the class at `open` (a `]` first in the class is a member), or -1. */
function classEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  return -1;
}

const MAGIC = /[*?[\]()\\]/;

function compileSegment(segment: string, whole: string): Segment {
  if (segment === '**') return GLOBSTAR;
  if (!MAGIC.test(segment)) return { literal: segment };
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(`^(?:${translate(segment, whole)})$`, RE2JS.DOTALL);
  } catch (err) {
    if (err instanceof ToolError) throw err;
    throw invalid(whole, (err as Error).message.replace(/^error parsing regexp: /, ''));
  }
  return { re2, dotted: segment.startsWith('.') || segment.startsWith('\\.') };
}

function segmentMatches(segment: Exclude<Segment, typeof GLOBSTAR>, name: string): boolean {
  if ('literal' in segment) return segment.literal === name;
  // As with minimatch's `dot: false`, a wildcard never matches the leading dot of a name.
  if (name.startsWith('.') && !segment.dotted) return false;
  return segment.re2.testExact(name);
}

function matchSegments(pattern: readonly Segment[], path: readonly string[], partial: boolean): boolean {
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * (path.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const segment = pattern[i];
    if (segment === undefined) result = j === path.length;
    // A trailing `**` needs one segment (`src/**` is what is under src, not src itself), as in minimatch.
    else if (j === path.length) result = partial;
    else if (segment === GLOBSTAR)
      result = at(i + 1, j) || (!path[j]!.startsWith('.') && (at(i + 1, j + 1) || at(i, j + 1)));
    else result = segmentMatches(segment, path[j]!) && at(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

/** Compiles a glob relative to the walk's base; throws `invalid_arguments` for what it cannot run. */
export function compileGlob(pattern: string): GlobMatcher {
  const alternatives = expandBraces(pattern, pattern).map((p) =>
    p
      .split('/')
      .filter((s) => s !== '')
      .map((s) => compileSegment(s, pattern)),
  );
  return {
    match(path, partial = false) {
      const segments = path.split('/');
      return alternatives.some((a) => matchSegments(a, segments, partial));
    },
  };
}
