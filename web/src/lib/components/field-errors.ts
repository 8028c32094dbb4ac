import { ApiError } from '$lib/api';

/** The server's per-field validation messages keyed by the field's last path segment. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.fieldErrors) out[e.field.split('.').pop() ?? e.field] = e.message;
  return out;
}
