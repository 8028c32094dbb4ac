import { z } from 'zod';
import type { ChatMessage, ChatRequest, ToolChoice, ToolDefinition } from '../commands.js';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const content = z.union([z.string(), z.array(textPart), z.null()]).optional();

const message = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content }),
  z.object({ role: z.literal('user'), content }),
  z.object({
    role: z.literal('assistant'),
    content,
    tool_calls: z
      .array(
        z.object({
          id: z.string().min(1),
          type: z.literal('function').optional(),
          function: z.object({ name: z.string().min(1), arguments: z.string() }),
        }),
      )
      .optional(),
  }),
  z.object({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
]);

/** The subset of the Chat Completions body the gateway understands; unknown fields are ignored. */
export const openAiChatBody = z.object({
  model: z.string().min(1).max(200),
  messages: z.array(message).min(1),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string().min(1).max(200),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
    ])
    .optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  n: z.literal(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
});
export type OpenAiChatBody = z.infer<typeof openAiChatBody>;

const text = (c: z.infer<typeof content>) =>
  c === null || c === undefined ? '' : typeof c === 'string' ? c : c.map((p) => p.text).join('');

/** Chat Completions body → the gateway's vendor-neutral request (without provider). */
export function fromOpenAi(body: OpenAiChatBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const toolNames = new Map<string, string>();
  const messages: ChatMessage[] = body.messages.map((m): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: text(m.content) };
      case 'user':
        return { role: 'user', content: text(m.content) };
      case 'assistant': {
        const toolCalls = m.tool_calls?.map((c) => {
          toolNames.set(c.id, c.function.name);
          return { id: c.id, name: c.function.name, arguments: c.function.arguments };
        });
        return {
          role: 'assistant',
          ...(m.content ? { content: text(m.content) } : {}),
          ...(toolCalls?.length ? { toolCalls } : {}),
        };
      }
      case 'tool':
        return {
          role: 'tool',
          toolCallId: m.tool_call_id,
          toolName: toolNames.get(m.tool_call_id) ?? 'tool',
          content: text(m.content),
        };
      default: {
        const never: never = m;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  });
  const tools: ToolDefinition[] | undefined = body.tools?.map((t) => ({
    name: t.function.name,
    ...(t.function.description ? { description: t.function.description } : {}),
    parameters: t.function.parameters ?? { type: 'object', properties: {} },
  }));
  const choice = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    choice === undefined ? undefined : typeof choice === 'string' ? choice : { tool: choice.function.name };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    model: body.model,
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxTokens ? { maxTokens } : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
  };
}
