import { setTimeout as sleep } from 'node:timers/promises';
import { demoObject } from './demo-object.js';
import type {
  ChatDelta,
  ChatRequest,
  ChatResult,
  ToolCall,
  ToolDefinition,
  Usage,
  UserPart,
} from './types.js';

const tokens = (text: string) => Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));

function exampleArguments(tool: ToolDefinition, hint: string): Record<string, unknown> {
  const props = (tool.parameters.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown[] }>;
  const required = new Set((tool.parameters.required ?? Object.keys(props)) as string[]);
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(props)) {
    if (!required.has(name)) continue;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) args[name] = schema.enum[0];
    else if (schema.type === 'number' || schema.type === 'integer') args[name] = 1;
    else if (schema.type === 'boolean') args[name] = true;
    else if (schema.type === 'array') args[name] = [];
    else if (schema.type === 'object') args[name] = {};
    else args[name] = hint.slice(0, 80);
  }
  return args;
}

const textOf = (content: string | UserPart[] | undefined): string =>
  typeof content === 'string' || content === undefined
    ? (content ?? '')
    : content.map((p) => (p.type === 'text' ? p.text : `[${p.type}]`)).join('\n');

function answer(request: ChatRequest): { text: string; toolCalls: ToolCall[]; usage: Usage } {
  const last = request.messages.at(-1);
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  const userText = lastUser?.role === 'user' ? textOf(lastUser.content) : '';
  const input = [
    request.system ?? '',
    ...request.messages.map((m) => ('content' in m ? textOf(m.content) : '')),
  ].join('\n');
  const wantsTool =
    request.tools && request.tools.length > 0 && request.toolChoice !== 'none' && last?.role === 'user';
  if (wantsTool) {
    const choice = request.toolChoice;
    const tool =
      (typeof choice === 'object' ? request.tools!.find((t) => t.name === choice.tool) : undefined) ??
      request.tools![0]!;
    const args = JSON.stringify(exampleArguments(tool, userText));
    const call = { id: `call_demo_${request.messages.length}`, name: tool.name, arguments: args };
    return { text: '', toolCalls: [call], usage: { inputTokens: tokens(input), outputTokens: tokens(args) } };
  }
  const prose =
    last?.role === 'tool'
      ? `[demo] The tool ${last.toolName} returned: ${last.content.slice(0, 200)}`
      : `[demo] This answer comes from the offline demo provider. You said: "${userText.slice(0, 200)}"`;
  // A caller asking for JSON gets JSON, as from any provider that honours response_format; with a schema,
  // a value the schema accepts.
  const format = request.responseFormat;
  const json = format?.type === 'json' || format?.type === 'json-schema';
  const userTexts = request.messages.flatMap((m) => (m.role === 'user' ? [textOf(m.content)] : []));
  const text =
    format?.type === 'json-schema'
      ? JSON.stringify(demoObject({ schema: format.schema, texts: userTexts }))
      : json
        ? JSON.stringify({ demo: prose })
        : prose;
  const limited = json ? text : request.maxTokens !== undefined ? text.slice(0, request.maxTokens * 4) : text;
  const stops = (request.stopSequences ?? []).map((s) => limited.indexOf(s)).filter((i) => i >= 0);
  const stopped = stops.length > 0 ? limited.slice(0, Math.min(...stops)) : limited;
  return {
    text: stopped,
    toolCalls: [],
    usage: { inputTokens: tokens(input), outputTokens: tokens(stopped) },
  };
}

/**
 * The offline provider behind `make run` on a machine without keys: deterministic echo answers, a tool
 * call when tools are offered, several stream chunks and usage figures, so the whole governed call can be
 * shown. Everything it says starts with "[demo]"; asked for a JSON Schema, it answers a value the schema
 * accepts, derived from the schema and the caller's text, whose free strings start with "[demo]".
 */
export function demoComplete(request: ChatRequest): ChatResult {
  const a = answer(request);
  return {
    provider: 'demo',
    model: request.model,
    text: a.text,
    toolCalls: a.toolCalls,
    finishReason: a.toolCalls.length > 0 ? 'tool-calls' : 'stop',
    usage: a.usage,
    attempts: 1,
    removedSchemaKeywords: [],
  };
}

const chunk = (s: string, size: number) => s.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];

export async function* demoStream(request: ChatRequest): AsyncGenerator<ChatDelta> {
  const r = demoComplete(request);
  for (const piece of chunk(r.text, 12)) yield { type: 'text', text: piece };
  for (const [index, call] of r.toolCalls.entries()) {
    yield { type: 'tool-call-delta', index, id: call.id, name: call.name, argumentsDelta: '' };
    for (const piece of chunk(call.arguments, 8))
      yield { type: 'tool-call-delta', index, id: call.id, argumentsDelta: piece };
  }
  yield {
    type: 'finish',
    finishReason: r.finishReason,
    usage: r.usage,
    attempts: 1,
    removedSchemaKeywords: [],
  };
}

/** Waits `ms` before a demo answer (`PROOFPANE_DEMO_LATENCY_MS`), so a run can be watched and stopped in flight. */
export async function demoPause(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  if (ms > 0) await sleep(ms, undefined, signal ? { signal } : {});
}
