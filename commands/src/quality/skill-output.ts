import { isControlUid } from '@proofpane/core';
import { checkText, type L3Result, summarise, type Verdict } from './check.js';
import { extractCitations } from './extract.js';

type Schema = { [keyword: string]: unknown };

/** A problem in the shape of the skills' schema problems: a JSON Pointer and what is wrong there. */
export interface L3Problem {
  path: string;
  message: string;
}

/** What L3 found in one skill answer, and the problems that fail the answer (control-bearing skills only). */
export interface SkillOutputCheck {
  result: L3Result;
  problems: L3Problem[];
  /** The output schema has a control-id field: the answer is always recorded as checked. */
  controlBearing: boolean;
}

/**
 * Whether a check goes into the run's record: always for a control-bearing skill, otherwise only when
 * the answer cites something, so a run that never mentions a control carries no empty finding.
 */
export const worthRecording = (check: SkillOutputCheck): boolean =>
  check.controlBearing ||
  check.result.cited.length + check.result.unknown.length + check.result.misattributed.length > 0;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A control-id field: a string whose `enum` is made of catalogue uids only (the skills build them with
 * `anyControlUid` and `curatedControlUid`). No new schema keyword is needed, and providers receive the
 * schema unchanged.
 */
export const isControlIdField = (schema: Schema): boolean =>
  Array.isArray(schema.enum) &&
  schema.enum.length > 0 &&
  schema.enum.every((v) => typeof v === 'string' && isControlUid(v));

const holding = new WeakMap<Schema, boolean>();

/** Whether an output schema has a control-id field anywhere: such a skill fails on an unknown id. */
export function holdsControlIds(schema: Schema): boolean {
  const known = holding.get(schema);
  if (known !== undefined) return known;
  const children = [
    ...(isObject(schema.properties) ? Object.values(schema.properties) : []),
    ...(isObject(schema.items) ? [schema.items] : []),
  ].filter(isObject);
  const holds = isControlIdField(schema) || children.some(holdsControlIds);
  holding.set(schema, holds);
  return holds;
}

const pointer = (path: string, step: string | number) =>
  `${path}/${String(step).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/** A control-id field's value: a uid is cited; a uid-shaped value is judged as written; anything else is unknown. */
function fieldVerdicts(value: string): Verdict[] | 'unparsed' {
  if (isControlUid(value)) return [{ kind: 'cited', uid: value }];
  const found = checkText({ text: value });
  const verdicts: Verdict[] = [
    ...found.cited.map((uid): Verdict => ({ kind: 'cited', uid })),
    ...found.unknown.map((u): Verdict => ({ kind: 'unknown', ...u })),
    ...found.misattributed.map((m): Verdict => ({ kind: 'misattributed', ...m })),
  ];
  return verdicts.length > 0 && extractCitations(value).length === 1 ? verdicts : 'unparsed';
}

/**
 * Runs L3 over a skill's answer: each control-id field checked as a uid, every other string scanned for
 * cited identifiers. For a skill whose schema holds control ids, each unknown identifier (in a field or
 * in its prose) is a problem naming the id, so the repair turn can say which ones to drop.
 */
export function checkSkillOutput(options: { schema: Schema; output: unknown }): SkillOutputCheck {
  const verdicts: Verdict[] = [];
  const problems: L3Problem[] = [];
  const strict = holdsControlIds(options.schema);
  const walk = (schema: Schema | undefined, value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (schema && isControlIdField(schema)) {
        const judged = fieldVerdicts(value);
        if (judged === 'unparsed') {
          problems.push({ path, message: 'is not a control uid of the catalogue' });
          return;
        }
        verdicts.push(...judged);
        for (const v of judged)
          if (v.kind === 'unknown')
            problems.push({
              path,
              message: `names ${v.framework} ${v.text}, which the control catalogue does not hold`,
            });
          else if (v.kind === 'misattributed')
            problems.push({
              path,
              message: `names ${v.text} under ${v.named}; it is a control of ${v.actual}`,
            });
        return;
      }
      const found = checkText({ text: value });
      verdicts.push(
        ...found.cited.map((uid): Verdict => ({ kind: 'cited', uid })),
        ...found.unknown.map((u): Verdict => ({ kind: 'unknown', ...u })),
        ...found.misattributed.map((m): Verdict => ({ kind: 'misattributed', ...m })),
      );
      if (strict)
        for (const u of found.unknown)
          problems.push({
            path,
            message: `cites ${u.framework} ${u.text}, which the control catalogue does not hold`,
          });
      return;
    }
    if (Array.isArray(value)) {
      const items = schema && isObject(schema.items) ? schema.items : undefined;
      for (const [i, item] of value.entries()) walk(items, item, pointer(path, i));
      return;
    }
    if (isObject(value)) {
      const properties = schema && isObject(schema.properties) ? schema.properties : {};
      for (const [key, child] of Object.entries(value)) {
        const sub = properties[key];
        walk(isObject(sub) ? sub : undefined, child, pointer(path, key));
      }
    }
  };
  walk(options.schema, options.output, '');
  return { result: summarise(verdicts), problems: strict ? problems : [], controlBearing: strict };
}
