/**
 * How a node's inputs name the run input and earlier outputs (docs/workflows.md, "Mappings").
 *
 * A mapping is any JSON value. A string that starts with `$.` is a reference:
 *   `$.input` + segments                 the run's input
 *   `$.nodes.<nodeId>.output` + segments  a completed node's output
 * where a segment is `.name` (letters, digits, `_`, `-`; not starting with a digit or `-`), `[3]` (an
 * array index) or `["any key"]` (a JSON string, for keys the dotted form cannot spell). A string that
 * starts with `$$` is a literal with its first `$` dropped (`"$$.input"` is the text `$.input`); every
 * other value, object keys included, is a literal. Objects and arrays are mapped member by member.
 */
export type PathSegment = string | number;

export type MappingSource = { kind: 'input' } | { kind: 'node'; nodeId: string };

export interface ParsedReference {
  source: MappingSource;
  /** The segments after `$.input` or `$.nodes.<id>.output`. */
  path: PathSegment[];
}

export interface MappingReference extends ParsedReference {
  /** Where in the mapping the reference sits (`['args', 'path']`); empty when the mapping is one. */
  at: PathSegment[];
  text: string;
}

/** A reference that does not follow the syntax; `message` says where it goes wrong. */
export class MappingSyntaxError extends Error {
  constructor(
    readonly text: string,
    message: string,
  ) {
    super(`${JSON.stringify(text)}: ${message}`);
    this.name = 'MappingSyntaxError';
  }
}

/** A reference to a node that has no output yet: a graph the validator should have refused. */
export class MappingResolutionError extends Error {
  constructor(
    readonly text: string,
    readonly nodeId: string,
  ) {
    super(`${text}: node ${nodeId} has no output`);
    this.name = 'MappingResolutionError';
  }
}

const REFERENCE_PREFIX = '$.';
const ESCAPE_PREFIX = '$$';
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;
/** The bracket form: a JSON string literal, escapes allowed. */
const QUOTED = /^\["((?:[^"\\]|\\.)*)"\]/;

/** Whether a mapping value is a reference; not a type guard, since a string may be either. */
export const isReference = (value: unknown): boolean =>
  typeof value === 'string' && value.startsWith(REFERENCE_PREFIX);

function parseSegments(text: string, rest: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let remaining = rest;
  while (remaining.length > 0) {
    if (remaining.startsWith('.')) {
      const name = NAME.exec(remaining.slice(1));
      if (!name) throw new MappingSyntaxError(text, `expected a name after "." at "${remaining}"`);
      segments.push(name[0]);
      remaining = remaining.slice(1 + name[0].length);
      continue;
    }
    const index = INDEX.exec(remaining);
    if (index) {
      segments.push(Number(index[1]));
      remaining = remaining.slice(index[0].length);
      continue;
    }
    const quoted = QUOTED.exec(remaining);
    if (quoted) {
      try {
        segments.push(JSON.parse(`"${quoted[1]}"`) as string);
      } catch {
        throw new MappingSyntaxError(text, `bad escape in ${quoted[0]}`);
      }
      remaining = remaining.slice(quoted[0].length);
      continue;
    }
    throw new MappingSyntaxError(text, `expected ".name", "[index]" or '["key"]' at "${remaining}"`);
  }
  return segments;
}

/** Parses one reference string (`$.…`); throws `MappingSyntaxError` naming the part that is wrong. */
export function parseReference(text: string): ParsedReference {
  if (!isReference(text)) throw new MappingSyntaxError(text, 'a reference starts with "$."');
  const body = text.slice(REFERENCE_PREFIX.length);
  if (body === 'input' || body.startsWith('input.') || body.startsWith('input['))
    return { source: { kind: 'input' }, path: parseSegments(text, body.slice('input'.length)) };
  if (body.startsWith('nodes.')) {
    const nodeId = NAME.exec(body.slice('nodes.'.length))?.[0];
    if (!nodeId) throw new MappingSyntaxError(text, 'expected a node id after "$.nodes."');
    const afterId = body.slice('nodes.'.length + nodeId.length);
    if (afterId !== '.output' && !afterId.startsWith('.output.') && !afterId.startsWith('.output['))
      throw new MappingSyntaxError(text, `expected ".output" after "$.nodes.${nodeId}"`);
    return { source: { kind: 'node', nodeId }, path: parseSegments(text, afterId.slice('.output'.length)) };
  }
  throw new MappingSyntaxError(text, 'a reference starts with "$.input" or "$.nodes.<id>.output"');
}

/** Every reference in a mapping, depth first, with where it sits; throws on the first bad one. */
export function mappingReferences(mapping: unknown): MappingReference[] {
  const found: MappingReference[] = [];
  const walk = (value: unknown, at: PathSegment[]) => {
    if (typeof value === 'string') {
      if (isReference(value)) found.push({ ...parseReference(value), at, text: value });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, [...at, i]);
      });
    } else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
  };
  walk(mapping, []);
  return found;
}

/** What a mapping resolves against: the run's input and the outputs of the nodes that completed. */
export interface MappingContext {
  input: unknown;
  outputs: Readonly<Record<string, unknown>>;
}

/** One step down; own properties only, so `__proto__` or `constructor` never reach the prototype. */
function step(value: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'number') return Array.isArray(value) ? value[segment] : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
}

function resolveReference(text: string, context: MappingContext): unknown {
  const { source, path } = parseReference(text);
  let value: unknown;
  if (source.kind === 'input') value = context.input;
  else if (Object.hasOwn(context.outputs, source.nodeId)) value = context.outputs[source.nodeId];
  else throw new MappingResolutionError(text, source.nodeId);
  for (const segment of path) value = step(value, segment);
  return value;
}

/**
 * The value a mapping stands for. A path that leads nowhere (a missing key, an index past the end)
 * is `undefined`: an object member that resolves to it is left out and an array item becomes `null`,
 * as JSON would have it. A node without an output throws `MappingResolutionError`.
 */
export function resolveMapping(mapping: unknown, context: MappingContext): unknown {
  if (typeof mapping === 'string') {
    if (isReference(mapping)) return resolveReference(mapping, context);
    return mapping.startsWith(ESCAPE_PREFIX) ? mapping.slice(1) : mapping;
  }
  if (Array.isArray(mapping)) return mapping.map((item) => resolveMapping(item, context) ?? null);
  if (mapping !== null && typeof mapping === 'object') {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(mapping)) {
      const value = resolveMapping(item, context);
      if (value !== undefined)
        Object.defineProperty(resolved, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return resolved;
  }
  return mapping;
}

/** The reference text for a path, quoting what the dotted form cannot spell; the inverse of `parseReference`. */
export function referenceText(reference: ParsedReference): string {
  const root = reference.source.kind === 'input' ? '$.input' : `$.nodes.${reference.source.nodeId}.output`;
  return (
    root +
    reference.path
      .map((s) =>
        typeof s === 'number'
          ? `[${s}]`
          : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)
            ? `.${s}`
            : `[${JSON.stringify(s)}]`,
      )
      .join('')
  );
}
