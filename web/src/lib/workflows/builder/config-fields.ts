import type { FieldKind } from '$lib/schema-form/fields';

/** A field's value as the side panel's text box shows it; references and strings show as written. */
export function fieldText(value: unknown, kind: FieldKind): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (kind === 'lines' && Array.isArray(value)) return value.join('\n');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The config value a field's text stands for; `undefined` leaves the field out. A reference (`$.…`)
 * is kept as text whatever the field's type, since the engine resolves it when the step runs.
 */
export function fieldValue(text: string, kind: FieldKind): unknown {
  if (text.trim() === '') return undefined;
  if (text.startsWith('$.')) return text.trim();
  switch (kind) {
    case 'text':
    case 'paragraph':
    case 'choice':
      return text;
    case 'number':
    case 'integer': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'flag':
      return text === 'true';
    case 'lines':
    case 'choices':
      return text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Not JSON: a literal string, which a mapping may hold.
        return text;
      }
    default:
      return kind satisfies never;
  }
}

/** Sets `name` in `record`, or removes it when the value is `undefined`. */
export function withField(
  record: Record<string, unknown>,
  name: string,
  value: unknown,
): Record<string, unknown> {
  const next = { ...record };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

/** The validation problems of one node by the field they name under `config.` (`input.text`, `cron`). */
export function problemsByField(
  problems: readonly { node?: string | undefined; field?: string | undefined; message: string }[],
  nodeId: string,
): { byField: Record<string, string[]>; general: string[] } {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const p of problems) {
    if (p.node !== nodeId) continue;
    const field = p.field?.replace(/^config\./, '');
    if (field) byField[field] = [...(byField[field] ?? []), p.message];
    else general.push(p.message);
  }
  return { byField, general };
}
