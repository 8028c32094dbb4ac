import { z } from 'zod';
import type { ChatMessage, ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../commands.js';

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
// An earlier answer passed back keeps its part's `annotations` (empty unless refused) and `logprobs` (which
// describe that answer and are not read by the model), and its items' `id` and `status`.
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).nullable().optional(),
  logprobs: z.array(z.unknown()).nullable().optional(),
});
const itemExtras = {
  id: z.string().max(200).nullable().optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).nullable().optional(),
};
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const messageItem = z.strictObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, outputText, refusal]))]),
  ...itemExtras,
});
const functionCall = z.strictObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1).max(200),
  arguments: z.string(),
  ...itemExtras,
});
const functionCallOutput = z.strictObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(inputText)]),
  ...itemExtras,
});

const jsonSchemaFormat = z.strictObject({
  type: z.literal('json_schema'),
  name: z.string().min(1).max(64),
  schema: z.record(z.string(), z.unknown()),
  description: z.string().nullable().optional(),
  strict: z.boolean().nullable().optional(),
});
const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  jsonSchemaFormat,
]);

/**
 * The Responses create body (text, function tools). Keys not listed here, at any depth, are refused by path
 * (strict-parse.ts), as are the listed ones the gateway cannot honour (see fromResponses). Images, files
 * and the built-in tools are not accepted: the policy gate reads text only.
 */
export const responsesBody = z.strictObject({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(z.union([functionCall, functionCallOutput, messageItem])).min(1)]),
  instructions: z.string().nullable().optional(),
  tools: z
    .array(
      z.strictObject({
        type: z.literal('function'),
        name: z.string().min(1).max(200),
        description: z.string().nullable().optional(),
        parameters: z.record(z.string(), z.unknown()).nullable().optional(),
        strict: z.boolean().nullable().optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
    ])
    .optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  user: z.string().max(512).nullable().optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  // `max` has no carrier (Chat Completions' reasoning_effort stops at xhigh): refused by name below.
  reasoning: z
    .strictObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      summary: z.string().nullable().optional(),
      generate_summary: z.string().nullable().optional(),
      context: z.string().nullable().optional(),
      mode: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  text: z
    .strictObject({
      format: textFormat.nullable().optional(),
      verbosity: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z
    .strictObject({ include_obfuscation: z.boolean().nullable().optional() })
    .nullable()
    .optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  include: z.array(z.string().min(1).max(100)).max(20).nullable().optional(),
  // The gateway keeps no answers and runs nothing in the background: only the values it honours pass.
  store: z.boolean().nullable().optional(),
  background: z.boolean().nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
});
export type ResponsesBody = z.infer<typeof responsesBody>;

/** The one `include` value the gateway honours: the answer's token log probabilities. */
export const LOGPROBS_INCLUDE = 'message.output_text.logprobs';

/** `include` and `top_logprobs` → the call's logprobs request, and what of them no provider carries. */
function logprobsOf(body: ResponsesBody): { logprobs?: { top: number }; uncarried: string[] } {
  const include = body.include ?? [];
  const uncarried = include.filter((v) => v !== LOGPROBS_INCLUDE).map((v) => `include (${v})`);
  const top = body.top_logprobs ?? undefined;
  if (!include.includes(LOGPROBS_INCLUDE)) {
    if (top !== undefined) uncarried.push(`top_logprobs (without include ${LOGPROBS_INCLUDE})`);
    return { uncarried };
  }
  return { logprobs: { top: top ?? 0 }, uncarried };
}

const present = (v: unknown) => v !== null && v !== undefined;

/**
 * What of the body no provider carries through the gateway: the listed keys whose value asks for something the gateway does not do (it keeps no responses, runs nothing in the
 * background, never truncates, has no reasoning summaries). A value that asks for what the gateway does
 * anyway (`store: false`, `truncation: "disabled"`…) passes.
 */
function refusedOf(body: ResponsesBody): string[] {
  const refused: string[] = [];
  const annotated = typeof body.input === 'string' ? [] : body.input;
  annotated.forEach((item, i) => {
    if (
      item.type === 'function_call' ||
      item.type === 'function_call_output' ||
      typeof item.content === 'string'
    )
      return;
    item.content.forEach((part, j) => {
      if (part.type === 'output_text' && part.annotations?.length)
        refused.push(`input[${i}].content[${j}].annotations`);
    });
  });
  if (present(body.previous_response_id))
    refused.push('previous_response_id (no response is kept: send the whole conversation in input)');
  if (body.store === true) refused.push('store');
  if (body.background === true) refused.push('background');
  if (body.truncation === 'auto') refused.push('truncation (auto)');
  if (body.stream_options?.include_obfuscation === true) refused.push('stream_options.include_obfuscation');
  const reasoning = body.reasoning ?? {};
  if (reasoning.effort === 'max') refused.push('reasoning.effort (max)');
  for (const key of ['summary', 'generate_summary'] as const)
    if (present(reasoning[key])) refused.push(`reasoning.${key}`);
  if (present(reasoning.context) && reasoning.context !== 'auto') refused.push('reasoning.context');
  if (present(reasoning.mode) && reasoning.mode !== 'standard') refused.push('reasoning.mode');
  const text = body.text ?? {};
  if (present(text.verbosity)) refused.push('text.verbosity');
  return refused;
}

/** `text.format` → the call's response format, as Chat Completions' `response_format` maps. */
function formatOf(body: ResponsesBody): ResponseFormat | undefined {
  const f = body.text?.format;
  if (f === undefined || f === null) return undefined;
  if (f.type === 'text') return { type: 'text' };
  if (f.type === 'json_object') return { type: 'json' };
  return {
    type: 'json-schema',
    schema: f.schema,
    name: f.name,
    ...(f.description ? { description: f.description } : {}),
    ...(typeof f.strict === 'boolean' ? { strict: f.strict } : {}),
  };
}

type Part = z.infer<typeof messageItem>['content'];
const text = (content: Part) =>
  typeof content === 'string'
    ? content
    : content.map((p) => (p.type === 'refusal' ? p.refusal : p.text)).join('');

/**
 * Responses body → the gateway's vendor-neutral request: `instructions` is the system prompt, message items
 * are messages (system and developer ones system messages), consecutive `function_call` items one
 * assistant turn with tool calls, and each `function_call_output` a tool result.
 */
export function fromResponses(body: ResponsesBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const items =
    typeof body.input === 'string' ? [{ role: 'user' as const, content: body.input }] : body.input;
  const toolNames = new Map<string, string>();
  const messages: ChatMessage[] = [];
  for (const item of items) {
    if (item.type === 'function_call') {
      toolNames.set(item.call_id, item.name);
      const call = { id: item.call_id, name: item.name, arguments: item.arguments };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
      else messages.push({ role: 'assistant', toolCalls: [call] });
    } else if (item.type === 'function_call_output') {
      messages.push({
        role: 'tool',
        toolCallId: item.call_id,
        toolName: toolNames.get(item.call_id) ?? 'tool',
        content: typeof item.output === 'string' ? item.output : item.output.map((p) => p.text).join(''),
      });
    } else if (item.role === 'assistant') {
      messages.push({ role: 'assistant', content: text(item.content) });
    } else if (item.role === 'user') {
      messages.push({ role: 'user', content: text(item.content) });
    } else {
      messages.push({ role: 'system', content: text(item.content) });
    }
  }
  const tools: ToolDefinition[] | undefined = body.tools?.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    parameters: t.parameters ?? { type: 'object', properties: {} },
    ...(typeof t.strict === 'boolean' ? { strict: t.strict } : {}),
  }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice === undefined ? undefined : typeof choice === 'string' ? choice : { tool: choice.name };
  const { logprobs, uncarried: logprobsUncarried } = logprobsOf(body);
  const uncarried = [...refusedOf(body), ...logprobsUncarried];
  const effort = body.reasoning?.effort;
  const optional = {
    topP: typeof body.top_p === 'number' ? body.top_p : undefined,
    responseFormat: formatOf(body),
    user: body.user ?? undefined,
    metadata: body.metadata ?? undefined,
    parallelToolCalls: body.parallel_tool_calls ?? undefined,
    reasoningEffort: effort === null || effort === 'max' ? undefined : effort,
  };
  return {
    model: body.model,
    ...(logprobs ? { logprobs } : {}),
    ...(uncarried.length ? { uncarried } : {}),
    ...(body.instructions ? { system: body.instructions } : {}),
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(body.max_output_tokens ? { maxTokens: body.max_output_tokens } : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}
