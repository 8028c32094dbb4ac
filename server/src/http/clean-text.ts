import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { apiError } from './errors.js';

/**
 * The one rule for text the server accepts: no NUL and no unpaired UTF-16 surrogate. PostgreSQL
 * cannot store NUL in `text` (the write fails after its event was appended), and an unpaired
 * surrogate becomes U+FFFD on its way to UTF-8, so a table would hold other text than the event.
 */
export const UNCLEAN_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

const UNCLEAN = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isCleanText = (value: string): boolean => !UNCLEAN.test(value);

/** `z.string()` under the rule, for new route and command schemas. */
export const cleanString = () => z.string().refine(isCleanText, UNCLEAN_TEXT_MESSAGE);

/** Request headers the server reads as text; any other header is never used as data. */
export const READ_HEADERS = [
  'authorization',
  'x-api-key',
  'x-proofpane-agent',
  'x-proofpane-hitl',
  'x-proofpane-run-id',
  'x-proofpane-parent-run-id',
  'x-proofpane-run-name',
  'last-event-id',
] as const;

export interface UncleanField {
  field: string;
  message: string;
}

/**
 * Every string and object key in `value`, at any depth, that breaks the rule, named as the
 * validation errors name fields (`body.servers.0.name`). Iterative, so a deeply nested body cannot
 * exhaust the stack; stops after `limit` findings.
 */
export function uncleanFields(where: string, value: unknown, limit = 20): UncleanField[] {
  const found: UncleanField[] = [];
  const stack: [string, unknown][] = [[where, value]];
  while (stack.length > 0 && found.length < limit) {
    const [path, current] = stack.pop()!;
    if (typeof current === 'string') {
      if (!isCleanText(current)) found.push({ field: path, message: UNCLEAN_TEXT_MESSAGE });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push([`${path}.${i}`, current[i]]);
    } else if (isPlainObject(current)) {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (!isCleanText(key)) {
          found.push({
            field: `${path}.${JSON.stringify(key).slice(1, -1)}`,
            message: `key ${UNCLEAN_TEXT_MESSAGE}`,
          });
          continue;
        }
        stack.push([`${path}.${key}`, current[key]]);
      }
    }
  }
  return found;
}

/**
 * Parsed JSON, query strings and route params; not a Buffer or a stream a content parser left as is.
 * Fastify's params and query objects have prototypes of their own, so the prototype cannot tell.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  return typeof (value as { pipe?: unknown }).pipe !== 'function';
}

/**
 * A `preValidation` hook for every route: refuses a request whose params, query, body or read
 * headers hold unclean text with `400 validation_failed`, before any handler can append an event
 * for a row the database would then refuse.
 */
export async function refuseUncleanText(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const headers: Record<string, unknown> = {};
  for (const name of READ_HEADERS)
    if (request.headers[name] !== undefined) headers[name] = request.headers[name];
  const found = [
    ...uncleanFields('params', request.params),
    ...uncleanFields('query', request.query),
    ...uncleanFields('headers', headers),
    ...uncleanFields('body', request.body),
  ];
  if (found.length === 0) return;
  throw apiError('validation_failed', found.map((f) => `${f.field}: ${f.message}`).join('; '), {
    errors: found,
  });
}
