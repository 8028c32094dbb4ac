import { isDeepStrictEqual } from 'node:util';
import { describeProblem, type JsonSchema, type SchemaProblem, validateAgainst } from './json-schema.js';

/**
 * A check on a structured answer, as eval cases (skills' and workflows') write them. `path` is a JSON
 * Pointer (RFC 6901) into the answer: `""` the whole, `/risks/0/severity` a nested field.
 * - `schema`: the value at `path` matches a JSON Schema;
 * - `equals`: it deep-equals `value`;
 * - `contains`: a string holding `value` (ignoring case), or an array with an element equal to `value`
 *   (strings ignoring case);
 * - `range`: a number within `min`..`max`, both inclusive and optional.
 */
export type Assertion =
  | { type: 'schema'; path?: string; schema: JsonSchema }
  | { type: 'equals'; path: string; value: unknown }
  | { type: 'contains'; path: string; value: string | number | boolean }
  | { type: 'range'; path: string; min?: number; max?: number };

export interface AssertionResult {
  assertion: Assertion;
  passed: boolean;
  /** Why it failed; absent when it passed. */
  message?: string;
}

export interface AssertionReport {
  passed: boolean;
  results: AssertionResult[];
}

const MISSING = Symbol('missing');

/** The value a JSON Pointer names, or MISSING when a step does not exist. */
function atPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return MISSING;
  let here: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(here) && /^(0|[1-9]\d*)$/.test(step) && Number(step) < here.length)
      here = here[Number(step)];
    else if (here !== null && typeof here === 'object' && !Array.isArray(here) && Object.hasOwn(here, step))
      here = (here as Record<string, unknown>)[step];
    else return MISSING;
  }
  return here;
}

const sameLoosely = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string'
    ? a.toLowerCase() === b.toLowerCase()
    : isDeepStrictEqual(a, b);

function failure(assertion: Assertion, value: unknown): string | undefined {
  const at = 'path' in assertion && assertion.path ? assertion.path : '(root)';
  if (value === MISSING) return `${at}: nothing there`;
  switch (assertion.type) {
    case 'schema': {
      let problems: SchemaProblem[];
      try {
        problems = validateAgainst(assertion.schema, value);
      } catch (error) {
        return `the assertion's schema does not compile: ${error instanceof Error ? error.message : String(error)}`;
      }
      return problems.length === 0 ? undefined : problems.map(describeProblem).join('; ');
    }
    case 'equals':
      return isDeepStrictEqual(value, assertion.value)
        ? undefined
        : `${at}: expected ${JSON.stringify(assertion.value)}, got ${JSON.stringify(value)}`;
    case 'contains':
      if (typeof value === 'string' && typeof assertion.value === 'string')
        return value.toLowerCase().includes(assertion.value.toLowerCase())
          ? undefined
          : `${at}: does not contain ${JSON.stringify(assertion.value)}`;
      if (Array.isArray(value))
        return value.some((item) => sameLoosely(item, assertion.value))
          ? undefined
          : `${at}: has no element ${JSON.stringify(assertion.value)}`;
      return `${at}: is neither a string nor an array`;
    case 'range': {
      if (typeof value !== 'number') return `${at}: is not a number`;
      if (assertion.min !== undefined && value < assertion.min)
        return `${at}: ${value} is below ${assertion.min}`;
      if (assertion.max !== undefined && value > assertion.max)
        return `${at}: ${value} is above ${assertion.max}`;
      return undefined;
    }
    default:
      return assertion satisfies never;
  }
}

/** Every assertion checked against one answer; the report passes when all of them do. */
export function evaluateAssertions(options: {
  output: unknown;
  assertions: readonly Assertion[];
}): AssertionReport {
  const results = options.assertions.map((assertion): AssertionResult => {
    const message = failure(assertion, atPointer(options.output, assertion.path ?? ''));
    return message === undefined ? { assertion, passed: true } : { assertion, passed: false, message };
  });
  return { passed: results.every((r) => r.passed), results };
}
