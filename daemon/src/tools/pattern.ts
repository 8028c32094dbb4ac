import { RE2JS, RE2JSException } from 're2js';
import { ToolError } from './tool-error.js';

/**
 * `grep` patterns run on RE2 (re2js): matching time is linear in the line, so `(a|a)*b` cannot stall
 * the process the way it does on a backtracking RegExp. The server's policy module applies the same
 * rules to blocked patterns; the daemon imports nothing of ours, hence this copy.
 */
export interface LinePattern {
  test(text: string): boolean;
}

/**
 * RE2 instructions a pattern may compile to. A scan is linear in the text but also proportional to the
 * program when the automaton cannot be cached, so the program is bounded like the text.
 */
export const PATTERN_MAX_PROGRAM = 2_000;

/**
 * Rewrites the JavaScript-only escapes RE2 spells differently (`\uXXXX`, `\u{X}`) and refuses what RE2
 * cannot run in linear time (backreferences, lookaround), naming it. Returns the RE2 source or a reason.
 */
export function toRe2Syntax(pattern: string): { source: string } | { refused: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { refused: 'the pattern ends with a lone backslash' };
      if (next === 'u') {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(pattern.slice(i + 2));
        const plain = /^[0-9a-fA-F]{4}/.exec(pattern.slice(i + 2));
        if (braced || plain) {
          out += `\\x{${braced ? braced[1] : plain![0]}}`;
          i += 1 + (braced ?? plain)![0].length;
          continue;
        }
      }
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<'))) {
        return { refused: 'backreferences (\\1, \\k<name>) are not supported' };
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
      return { refused: 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported' };
    }
    out += ch;
  }
  return { source: out };
}

/** Compiles a `grep` pattern on RE2, or throws `invalid_regex` saying why it cannot run. */
export function compileGrepPattern(pattern: string): LinePattern {
  const translated = toRe2Syntax(pattern);
  const refuse = (why: string) =>
    new ToolError('invalid_regex', `${pattern}: not supported by the linear-time (RE2) engine: ${why}`);
  if ('refused' in translated) throw refuse(translated.refused);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated.source);
  } catch (err) {
    if (!(err instanceof RE2JSException)) throw err;
    throw new ToolError(
      'invalid_regex',
      `invalid regular expression: ${err.message.replace(/^error parsing regexp: /, '')}`,
    );
  }
  if (compiled.programSize() > PATTERN_MAX_PROGRAM) {
    throw refuse(
      `too large once compiled (${compiled.programSize()} > ${PATTERN_MAX_PROGRAM} instructions); use smaller repetition counts`,
    );
  }
  return compiled;
}
