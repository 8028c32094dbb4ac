import type { ToolCallMessage, ToolResultMessage } from './protocol.js';
import { TOOL_ERROR_CODES, type ToolErrorCode } from './tools/tool-error.js';

/*
 * Hand-written checks for the two messages every tool call carries, so the common case skips the zod
 * union walk. Each accepts only what its schema in protocol.ts accepts and returns the same shape (unknown
 * keys dropped); anything else yields `undefined` and the schema decides, so the schemas stay the contract.
 */

type Fields = Record<string, unknown>;

const errorCodes: ReadonlySet<string> = new Set(TOOL_ERROR_CODES);

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 128;

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

export function toolCallOf(value: unknown): ToolCallMessage | undefined {
  if (!isFields(value) || value.type !== 'tool.call') return undefined;
  const { id, tool, args } = value;
  if (!isId(id) || typeof tool !== 'string' || tool.length === 0) return undefined;
  // The schema wants the key even though any value goes.
  if (!Object.hasOwn(value, 'args')) return undefined;
  return { type: 'tool.call', id, tool, args };
}

export function toolResultOf(value: unknown): ToolResultMessage | undefined {
  if (!isFields(value) || value.type !== 'tool.result') return undefined;
  const { id, durationMs } = value;
  if (!isId(id) || !isFiniteNumber(durationMs)) return undefined;
  if (value.ok === true && Object.hasOwn(value, 'result'))
    return { type: 'tool.result', id, ok: true, result: value.result, durationMs };
  if (value.ok !== false || !isFields(value.error)) return undefined;
  const { code, message } = value.error;
  if (typeof code !== 'string' || !errorCodes.has(code) || typeof message !== 'string') return undefined;
  return {
    type: 'tool.result',
    id,
    ok: false,
    error: { code: code as ToolErrorCode, message },
    durationMs,
  };
}
