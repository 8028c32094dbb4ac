import { ProjectionError } from './projection.js';

// Small guards for the fields a projection reads, so a malformed event is recorded, not half-applied.

export function count(data: Record<string, unknown>, field: string): number {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ProjectionError(`data.${field} is not a non-negative integer`);
  }
  return value;
}

export function text(data: Record<string, unknown>, field: string): string {
  const value = data[field];
  if (typeof value !== 'string' || value.length === 0)
    throw new ProjectionError(`data.${field} is not a string`);
  return value;
}

export function optionalText(data: Record<string, unknown>, field: string): string | null {
  const value = data[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ProjectionError(`data.${field} is not a string`);
  return value;
}

export function isoTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ProjectionError(`time ${value} is not an ISO 8601 instant`);
  }
  return new Date(value).toISOString();
}
