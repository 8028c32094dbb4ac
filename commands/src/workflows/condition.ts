import { canonicalJson } from '@proofpane/core';
import { type MappingContext, resolveMapping } from './mapping.js';
import type { ConditionConfig } from './node-configs.js';

const sameValue = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));

/** Numbers with numbers, strings with strings (ISO dates order as text); anything else never orders. */
function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return typeof item === 'string' && container.includes(item);
  return Array.isArray(container) && container.some((member) => sameValue(member, item));
}

/**
 * A condition node's outcome: its mapped `value` compared with `compareTo` by a fixed operator. Values
 * of different kinds are unequal and never ordered, so a comparison is false rather than a coercion.
 */
export function evaluateCondition(config: ConditionConfig, context: MappingContext): boolean {
  const value = resolveMapping(config.value, context);
  const other = config.compareTo === undefined ? undefined : resolveMapping(config.compareTo, context);
  const ordered = order(value, other);
  switch (config.op) {
    case 'equals':
      return sameValue(value, other);
    case 'not_equals':
      return !sameValue(value, other);
    case 'gt':
      return ordered !== undefined && ordered > 0;
    case 'gte':
      return ordered !== undefined && ordered >= 0;
    case 'lt':
      return ordered !== undefined && ordered < 0;
    case 'lte':
      return ordered !== undefined && ordered <= 0;
    case 'contains':
      return contains(value, other);
    case 'in':
      return contains(other, value);
    case 'exists':
      return value !== undefined && value !== null;
    case 'truthy':
      return !(value === undefined || value === null || value === false || value === 0 || value === '');
    default:
      return config.op satisfies never;
  }
}
