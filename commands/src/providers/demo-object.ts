type Schema = { [keyword: string]: unknown };

const MAX_DEPTH = 8;
const SNIPPET_CHARS = 120;
const FIXED_DATE = '2026-01-01';
const PATTERN_CANDIDATES = ['demo', 'DEMO', 'demo-1', 'demo_1', '1', '0', 'a', 'A'];

interface Context {
  /** The caller's text, lower-cased, for finding which enum values it mentions. */
  haystack: string;
  /** The start of the caller's text, quoted in every free string. */
  snippet: string;
}

const normalise = (value: string) => value.toLowerCase().replace(/[_-]+/g, ' ');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Enum values the text names as whole words (`needs_review` also as "needs review"), in schema order. */
function mentioned(values: readonly unknown[], ctx: Context): unknown[] {
  return values.filter((v) => {
    if (typeof v !== 'string' || v.length === 0) return false;
    return new RegExp(`(^|[^a-z0-9])${escapeRegExp(normalise(v))}($|[^a-z0-9])`).test(ctx.haystack);
  });
}

const firstNonNull = (types: unknown): string | undefined =>
  Array.isArray(types)
    ? (types.find((t) => t !== 'null') as string | undefined)
    : (types as string | undefined);

function demoString(schema: Schema, ctx: Context, label: string): string {
  if (schema.format === 'date') return FIXED_DATE;
  if (schema.format === 'date-time') return `${FIXED_DATE}T00:00:00.000Z`;
  if (schema.format === 'email') return 'demo@example.invalid';
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.invalid/demo';
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? Number.MAX_SAFE_INTEGER);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const fit = PATTERN_CANDIDATES.find((c) => pattern.test(c) && c.length >= min && c.length <= max);
    if (fit) return fit;
  }
  let text = `[demo] ${label}${ctx.snippet ? `: ${ctx.snippet}` : ''}`;
  while (text.length < min) text += ' [demo]';
  return text.slice(0, max);
}

function demoNumber(schema: Schema, integer: boolean): number {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  const step = integer ? 1 : 0.5;
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : exclusiveMin !== undefined
        ? exclusiveMin + step
        : undefined;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : exclusiveMax !== undefined
        ? exclusiveMax - step
        : undefined;
  let value = min !== undefined && max !== undefined ? (min + max) / 2 : (min ?? Math.min(max ?? 0, 0));
  if (integer) value = Math.floor(value);
  return value;
}

function demoArray(schema: Schema, ctx: Context, label: string, depth: number): unknown[] {
  const items = (schema.items ?? {}) as Schema;
  const minItems = Number(schema.minItems ?? 0);
  const maxItems = Number(schema.maxItems ?? Number.MAX_SAFE_INTEGER);
  const choices = Array.isArray(items.enum) ? items.enum : undefined;
  if (choices) {
    // The values the text names, else as few as the schema allows: an empty list is a cautious answer.
    const named = mentioned(choices, ctx);
    const rest = choices.filter((c) => !named.includes(c));
    const count = Math.min(Math.max(named.length, minItems), maxItems, choices.length);
    return [...named, ...rest].slice(0, count);
  }
  const count = Math.min(Math.max(minItems, 1), maxItems);
  return Array.from({ length: count }, (_, i) =>
    demoValue(items, ctx, count > 1 ? `${label} ${i + 1}` : label, depth + 1),
  );
}

function demoValue(schema: Schema, ctx: Context, label: string, depth: number): unknown {
  if (depth > MAX_DEPTH) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return mentioned(schema.enum, ctx)[0] ?? schema.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key] as Schema[] | undefined;
    if (branches?.length)
      return demoValue(branches.find((b) => b.type !== 'null') ?? branches[0]!, ctx, label, depth + 1);
  }
  switch (firstNonNull(schema.type) ?? (schema.properties ? 'object' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
        out[name] = demoValue(property, ctx, name, depth + 1);
      return out;
    }
    case 'array':
      return demoArray(schema, ctx, label, depth);
    case 'integer':
      return demoNumber(schema, true);
    case 'number':
      return demoNumber(schema, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return demoString(schema, ctx, label);
  }
}

/** The string values of a JSON document inside the text, or the text itself when it holds none. */
function wordsOf(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const strings: string[] = [];
      const walk = (v: unknown): void => {
        if (typeof v === 'string') strings.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      };
      walk(JSON.parse(text.slice(start, end + 1)));
      if (strings.length > 0) return strings.join(' ');
    } catch {
      // Not JSON after all: the text as written.
    }
  }
  return text;
}

/**
 * The demo provider's answer to a JSON Schema request: a value the schema accepts, the same for the
 * same schema and text. Free strings start with "[demo]" and quote the start of the caller's text; an
 * enum takes the first value the text names (else its first value); numbers sit mid-range.
 */
export function demoObject(options: { schema: Schema; texts: readonly string[] }): unknown {
  const words = options.texts.map(wordsOf).join(' ').replace(/\s+/g, ' ').trim();
  const ctx: Context = { haystack: normalise(words), snippet: words.slice(0, SNIPPET_CHARS) };
  return demoValue(options.schema, ctx, 'value', 0);
}
