import { type PathSegment, parseReference } from '../workflows/mapping.js';

/**
 * A decision field names a place in a structured answer with the workflow mappings' path syntax, rooted
 * at `$` instead of `$.input`: `$.decision`, `$.items[0].id`, `$["odd key"]`; `$` alone is the whole
 * answer. Reusing the grammar keeps one way of spelling a path across the product.
 */
export function parseDecisionPath(text: string): PathSegment[] {
  if (text !== '$' && !text.startsWith('$.') && !text.startsWith('$['))
    throw new Error(`${JSON.stringify(text)}: a decision field starts with "$"`);
  // `$.input` + the same segments: parseReference names the part that is wrong.
  return parseReference(`$.input${text.slice(1)}`).path;
}

/** The value at a path; undefined where the answer has nothing (own properties only). */
export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined;
    else if (current !== null && typeof current === 'object' && !Array.isArray(current))
      current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    else current = undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
