import { z } from 'zod';
import type { ChatMessage, ChatRequest, ToolChoice, ToolDefinition } from '../commands.js';

const inputText = z.object({ type: z.literal('input_text'), text: z.string() });
const outputText = z.object({ type: z.literal('output_text'), text: z.string() });
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() });

const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, outputText, refusal]))]),
});
const functionCall = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1).max(200),
  arguments: z.string(),
});
const functionCallOutput = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(inputText)]),
});

/**
 * The subset of the Responses body the gateway understands (text, function tools); unknown fields are
 * ignored. Images, files and the built-in tools are not accepted: the policy gate reads text only.
 */
export const responsesBody = z.object({
  model: z.string().min(1).max(200),
  input: z.union([z.string(), z.array(z.union([functionCall, functionCallOutput, messageItem])).min(1)]),
  instructions: z.string().nullable().optional(),
  tools: z
    .array(
      z.object({
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
      z.object({ type: z.literal('function'), name: z.string().min(1) }),
    ])
    .optional(),
  max_output_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  include: z.array(z.string().min(1).max(100)).max(20).nullable().optional(),
  // The gateway stores no answers (only their hashes), so a conversation cannot continue from one.
  previous_response_id: z
    .null({ error: 'previous_response_id is not supported: send the whole conversation in input' })
    .optional(),
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
  }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice === undefined ? undefined : typeof choice === 'string' ? choice : { tool: choice.name };
  const { logprobs, uncarried } = logprobsOf(body);
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
  };
}
