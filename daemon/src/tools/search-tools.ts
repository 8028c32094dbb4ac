import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { confine, type Root } from './confine.js';
import { compileGlob } from './glob-match.js';
import { LIMITS } from './limits.js';
import { openRegular } from './open-regular.js';
import { compileGrepPattern, type LinePattern } from './pattern.js';
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
  const matcher = compileGlob(rest);
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

/**
 * Bounds on one `grep` call besides LIMITS. The pattern runs on RE2, so each line costs time linear in
 * its length; the call still yields to the event loop every few milliseconds, because the server runs
 * this in its own process (docs/decisions/0013-user-patterns-on-re2.md), and stops after GREP_TIME_MS with
 * `truncated` set. Only the first GREP_LINE_SCAN_CHARS of a line are searched, which bounds the one
 * step that cannot yield (a minified file can be a single 2 MiB line).
 */
export const GREP_TIME_MS = 30_000;
export const GREP_SLICE_MS = 10;
export const GREP_LINE_SCAN_CHARS = 64 * 1024;

interface Clock {
  deadline: number;
  sliceStart: number;
  signal: AbortSignal | undefined;
}

/** Lets other work run once the slice is used up; false once the call is out of time or cancelled. */
async function pause(clock: Clock): Promise<boolean> {
  await nextTurn();
  clock.sliceStart = performance.now();
  return clock.sliceStart < clock.deadline && clock.signal?.aborted !== true;
}

/** Returns false when the call must stop (match cap, time budget or cancellation). */
async function grepFile(
  real: string,
  shown: string,
  regex: LinePattern,
  out: GrepMatch[],
  clock: Clock,
): Promise<boolean> {
  // Typed from the opened descriptor: a FIFO put in place of a walked file must not hold the call.
  const file = await openRegular(real, 'read').catch(() => undefined);
  if (!file) return true;
  const buffer =
    file.size > LIMITS.grepFileBytes ? undefined : await file.handle.readFile().catch(() => undefined);
  await file.handle.close();
  if (!buffer || buffer.subarray(0, 8192).includes(0)) return true;
  const lines = buffer.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (performance.now() - clock.sliceStart >= GREP_SLICE_MS && !(await pause(clock))) return false;
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (!regex.test(line.length > GREP_LINE_SCAN_CHARS ? line.slice(0, GREP_LINE_SCAN_CHARS) : line))
      continue;
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
  const regex = compileGrepPattern(args.pattern);
  const clock: Clock = { deadline: performance.now() + GREP_TIME_MS, sliceStart: performance.now(), signal };
  const start = await confine(root, args.path ?? '.');
  const info = await stat(start.real).catch((err: unknown) => {
    throw fsError(err, start.shown);
  });
  const matches: GrepMatch[] = [];
  if (info.isFile()) {
    const complete = await grepFile(start.real, start.shown, regex, matches, clock);
    return { matches, truncated: !complete };
  }
  const prefix = start.shown === '.' ? '' : `${start.shown}/`;
  let complete = true;
  const walked = await walk(
    { base: start.real, descend: (_rel, name) => !SKIPPED_DIRS.has(name), signal },
    async (entry) => {
      if (entry.type !== 'file') return true;
      complete = await grepFile(entry.real, prefix + entry.rel, regex, matches, clock);
      return complete;
    },
  );
  return { matches, truncated: !complete || walked.capped };
}
