import type { FieldError } from '@proofpane/api';
import { ApiError } from '$lib/api';
import { readableMessage } from '$lib/errors/readable';

/**
 * The server's per-field validation messages, reworded for people (`readableMessage`), keyed by the
 * field's last path segment. With `under`
 * (`body.input`), only fields below that prefix count, keyed by their first segment below it: a form
 * built from a schema shows `body.input.lead.company` beside its `lead` field, saying `company: …`.
 */
export function fieldErrors(error: unknown, options: { under?: string } = {}): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const prefix = options.under === undefined ? undefined : `${options.under}.`;
  for (const e of error.fieldErrors) {
    if (prefix === undefined) {
      out[e.field.split('.').pop() ?? e.field] = readableMessage(e.message);
      continue;
    }
    if (!e.field.startsWith(prefix)) continue;
    const [name = '', ...rest] = e.field.slice(prefix.length).split('.');
    const readable = readableMessage(e.message);
    const message = rest.length > 0 ? `${rest.join('.')}: ${readable}` : readable;
    out[name] = out[name] ? `${out[name]}; ${message}` : message;
  }
  return out;
}

/**
 * The field errors a form cannot show beside a field of its own (`body.provider` next to an input form,
 * a nested path of a field the form lacks), for the page to list with the problem.
 */
export function unplacedFieldErrors(
  error: unknown,
  options: { under: string; placed: readonly string[] },
): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  const prefix = `${options.under}.`;
  return error.fieldErrors.filter(
    (e) =>
      !e.field.startsWith(prefix) ||
      !options.placed.includes(e.field.slice(prefix.length).split('.')[0] ?? ''),
  );
}
