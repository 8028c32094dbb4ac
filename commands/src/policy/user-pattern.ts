import { RE2JS, RE2JSException } from 're2js';

/**
 * Regular expressions written by an org's admin run on RE2 (re2js), whose matching time is linear in
 * the text: a pattern such as `(a|a)*b` cannot stall the process the way it does on a backtracking
 * engine. See docs/decisions/0013-user-patterns-on-re2.md.
 */
export interface UserPattern {
  test(text: string): boolean;
  /** RE2 instructions the pattern compiled to: the per-character cost of a scan in the worst case. */
  programSize(): number;
}

/** The JavaScript flags an admin may give, and what each becomes on RE2. */
const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always matches by code point, which is what `u` asks of a JavaScript RegExp.
  u: 0,
};

/**
 * RE2 instructions one pattern may compile to. Matching is linear in the text but also proportional to
 * the program when the automaton cannot be cached (`\w{1000}` repeated ten times scans ~100 KB/s), so
 * the size is bounded as well; ordinary patterns compile to a few dozen instructions.
 */
export const USER_PATTERN_MAX_PROGRAM = 2_000;

export class UserPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserPatternError';
  }
}

/**
 * Rewrites the JavaScript-only escapes RE2 spells differently (`\uXXXX`, `\u{X}`) and refuses, with a
 * message naming the construct, what RE2 cannot run in linear time: backreferences and lookaround.
 */
export function toRe2Syntax(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new UserPatternError('the pattern ends with a lone backslash');
      if (next === 'u') {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 2));
        const plain = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 2));
        if (braced) {
          out += `\\x{${braced[1]}}`;
          i += 1 + braced[0].length;
          continue;
        }
        if (plain) {
          out += `\\x{${plain[0]}}`;
          i += 5;
          continue;
        }
      }
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<'))) {
        throw new UserPatternError('backreferences (\\1, \\k<name>) are not supported');
      }
      out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member, not the end of the class.
      const start = pattern[i + 1] === '^' ? i + 2 : i + 1;
      if (pattern[start] === ']') {
        out += pattern.slice(i, start + 1);
        i = start;
        continue;
      }
    } else if (ch === '(' && /^\?(=|!|<=|<!)/.test(pattern.slice(i + 1))) {
      throw new UserPatternError('lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported');
    }
    out += ch;
  }
  return out;
}

/** Compiles a JavaScript-style pattern and flags (`i`, `m`, `s`, `u`) on RE2, or throws UserPatternError. */
export function compileUserPattern(pattern: string, flags = ''): UserPattern {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) throw new UserPatternError(`unsupported flag "${flag}" (allowed: i, m, s, u)`);
    if (flags.indexOf(flag) !== flags.lastIndexOf(flag)) {
      throw new UserPatternError(`flag "${flag}" is given twice`);
    }
    bits |= bit;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(toRe2Syntax(pattern), bits);
  } catch (error) {
    if (error instanceof RE2JSException) {
      throw new UserPatternError(error.message.replace(/^error parsing regexp: /, ''));
    }
    throw error;
  }
  if (compiled.programSize() > USER_PATTERN_MAX_PROGRAM) {
    throw new UserPatternError(
      `the pattern is too large once compiled (${compiled.programSize()} > ${USER_PATTERN_MAX_PROGRAM} instructions); use smaller repetition counts`,
    );
  }
  return compiled;
}
