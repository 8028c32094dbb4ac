import { z } from 'zod';
import type { ChatMessage, ChatRequest, ToolChoice, ToolDefinition } from '../commands.js';

const textBlock = z.object({ type: z.literal('text'), text: z.string() });
const toolUse = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});
const toolResult = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(textBlock)]).optional(),
  is_error: z.boolean().optional(),
});
const block = z.discriminatedUnion('type', [textBlock, toolUse, toolResult]);

/** The subset of the Messages body the gateway understands; unknown fields are ignored. */
export const anthropicMessagesBody = z.object({
  model: z.string().min(1).max(200),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }))
    .min(1),
  tools: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto') }),
      z.object({ type: z.literal('any') }),
      z.object({ type: z.literal('none') }),
      z.object({ type: z.literal('tool'), name: z.string().min(1) }),
    ])
    .optional(),
  temperature: z.number().min(0).max(1).optional(),
  stream: z.boolean().optional(),
});
export type AnthropicMessagesBody = z.infer<typeof anthropicMessagesBody>;

const joined = (blocks: readonly { text: string }[]) => blocks.map((b) => b.text).join('');

/** Messages body → the gateway's vendor-neutral request (without provider). */
export function fromAnthropic(body: AnthropicMessagesBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const toolNames = new Map<string, string>();
  const messages: ChatMessage[] = [];
  for (const m of body.messages) {
    if (typeof m.content === 'string') {
      messages.push(
        m.role === 'user' ? { role: 'user', content: m.content } : { role: 'assistant', content: m.content },
      );
      continue;
    }
    const texts = m.content.filter((b) => b.type === 'text');
    if (m.role === 'assistant') {
      const toolCalls = m.content
        .filter((b) => b.type === 'tool_use')
        .map((b) => {
          toolNames.set(b.id, b.name);
          return { id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) };
        });
      messages.push({
        role: 'assistant',
        ...(texts.length > 0 ? { content: joined(texts) } : {}),
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      });
      continue;
    }
    for (const b of m.content) {
      if (b.type !== 'tool_result') continue;
      const content = typeof b.content === 'string' ? b.content : joined(b.content ?? []);
      messages.push({
        role: 'tool',
        toolCallId: b.tool_use_id,
        toolName: toolNames.get(b.tool_use_id) ?? 'tool',
        content: b.is_error ? `error: ${content}` : content,
      });
    }
    if (texts.length > 0) messages.push({ role: 'user', content: joined(texts) });
  }
  const tools: ToolDefinition[] | undefined = body.tools?.map((t) => ({
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    parameters: t.input_schema,
  }));
  const c = body.tool_choice;
  const toolChoice: ToolChoice | undefined =
    c === undefined
      ? undefined
      : c.type === 'auto'
        ? 'auto'
        : c.type === 'any'
          ? 'required'
          : c.type === 'none'
            ? 'none'
            : { tool: c.name };
  const system =
    body.system === undefined
      ? undefined
      : typeof body.system === 'string'
        ? body.system
        : joined(body.system);
  return {
    model: body.model,
    ...(system ? { system } : {}),
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    maxTokens: body.max_tokens,
    ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
  };
}
