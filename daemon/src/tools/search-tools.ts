import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { Minimatch } from 'minimatch';
import safeRegex from 'safe-regex2';
import { confine, type Root } from './confine.js';
import { LIMITS } from './limits.js';
import { openRegular } from './open-regular.js';
import type { GlobResult, GrepMatch, GrepResult } from './results.js';
import type { ToolArgs } from './schemas.js';
import { fsError, ToolError } from './tool-error.js';
import { walk } from './walk.js';

const MAGIC = /[*?[\]{}()!+@]/;

/** Splits `src/lib/**\/*.ts` into the literal directory `src/lib` (walked from) and the rest (matched). */
function splitPattern(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/');
  const literal: string[] = [];
  while (parts.length > 1 && !MAGIC.test(parts[0]!)) literal.push(parts.shift()!);
  return { base: literal.join('/') || '.', rest: parts.join('/') };
}

export async function globTool(
  root: Root,
  args: ToolArgs<'glob'>,
  signal?: AbortSignal,
): Promise<GlobResult> {
  if (args.pattern.split('/').includes('..')) {
    throw new ToolError('path_outside_root', `${args.pattern}: path is outside the root directory`);
  }
  const { base, rest } = splitPattern(
    isAbsolute(args.pattern) ? args.pattern : args.pattern.replace(/^\.\//, ''),
  );
  const start = await confine(root, isAbsolute(args.pattern) && base === '.' ? '/' : base);
  const prefix = start.shown === '.' ? '' : `${start.shown}/`;
  const matcher = new Minimatch(rest, { dot: false });
  const matches: string[] = [];
  let truncated = false;
  const walked = await walk(
    { base: start.real, descend: (rel) => matcher.match(rel, true), signal },
    (entry) => {
      if (!matcher.match(entry.rel)) return true;
      if (matches.length >= LIMITS.globMatches) {
        truncated = true;
        return false;
      }
      matches.push(prefix + entry.rel);
      return true;
    },
  ).catch((err: unknown) => {
    throw fsError(err, start.shown);
  });
  return { matches, truncated: truncated || walked.capped };
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** Also refuses patterns that can backtrack catastrophically: one such line would stall every other call. */
function compile(pattern: string): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (err) {
    throw new ToolError('invalid_regex', `invalid regular expression: ${(err as Error).message}`);
  }
  if (!safeRegex(regex)) {
    throw new ToolError(
      'invalid_regex',
      `${pattern}: the pattern can backtrack catastrophically; simplify nested repetition`,
    );
  }
  return regex;
}

async function grepFile(real: string, shown: string, regex: RegExp, out: GrepMatch[]): Promise<boolean> {
  // Typed from the opened descriptor: a FIFO put in place of a walked file must not hold the call.
  const file = await openRegular(real, 'read').catch(() => undefined);
  if (!file) return true;
  const buffer =
    file.size > LIMITS.grepFileBytes ? undefined : await file.handle.readFile().catch(() => undefined);
  await file.handle.close();
  if (!buffer || buffer.subarray(0, 8192).includes(0)) return true;
  const lines = buffer.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (!regex.test(line)) continue;
    if (out.length >= LIMITS.grepMatches) return false;
    out.push({
      path: shown,
      line: i + 1,
      text: line.length > LIMITS.grepLineChars ? line.slice(0, LIMITS.grepLineChars) : line,
    });
  }
  return true;
}

export async function grepTool(
  root: Root,
  args: ToolArgs<'grep'>,
  signal?: AbortSignal,
): Promise<GrepResult> {
  const regex = compile(args.pattern);
  const start = await confine(root, args.path ?? '.');
  const info = await stat(start.real).catch((err: unknown) => {
    throw fsError(err, start.shown);
  });
  const matches: GrepMatch[] = [];
  if (info.isFile()) {
    const complete = await grepFile(start.real, start.shown, regex, matches);
    return { matches, truncated: !complete };
  }
  const prefix = start.shown === '.' ? '' : `${start.shown}/`;
  let complete = true;
  const walked = await walk(
    { base: start.real, descend: (_rel, name) => !SKIPPED_DIRS.has(name), signal },
    async (entry) => {
      if (entry.type !== 'file') return true;
      complete = await grepFile(entry.real, prefix + entry.rel, regex, matches);
      return complete;
    },
  );
  return { matches, truncated: !complete || walked.capped };
}
