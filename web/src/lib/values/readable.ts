/** `dpiaRecommended` → `Dpia recommended`, `business_owner` → `Business owner`: a key as a label. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/**
 * How a value reads best: `empty` (null, missing, an empty list), a single `scalar`, a `list` of
 * scalars, `records` (a list of objects, each shown as its fields), or an `object`'s fields.
 */
export type ValueShape = 'empty' | 'scalar' | 'list' | 'records' | 'object';

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function shapeOf(value: unknown): ValueShape {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'empty';
    if (value.every(isScalar)) return 'list';
    if (value.every(isObject)) return 'records';
    return 'list';
  }
  if (isObject(value)) return Object.keys(value).length === 0 ? 'empty' : 'object';
  return 'scalar';
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** A scalar in words: yes and no for booleans, grouped digits for numbers, a dash for nothing. */
export function scalarText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return numberFormat.format(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
