import { z } from 'zod';
import type {
  ChatMessage,
  ChatRequest,
  MediaPart,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
  UserPart,
} from '../commands.js';
import { unknownKeys } from './parameters.js';

// Block fields the gateway has no carrier for (prompt caching, citations) are parsed to be refused by name.
const blockExtras = { cache_control: z.unknown().optional(), citations: z.unknown().optional() };
const textBlock = z.object({ type: z.literal('text'), text: z.string(), ...blockExtras });
const base64Source = (mediaTypes: readonly [string, ...string[]]) =>
  z.object({ type: z.literal('base64'), media_type: z.enum(mediaTypes), data: z.string().min(1) });
const urlSource = z.object({
  type: z.literal('url'),
  url: z.string().regex(/^https?:\/\//i, 'an http(s) URL'),
});
const fileSource = z.object({ type: z.literal('file'), file_id: z.string().min(1) });
const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    base64Source(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    urlSource,
    fileSource,
  ]),
  ...blockExtras,
});
const documentBlock = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    base64Source(['application/pdf']),
    urlSource,
    fileSource,
    z.object({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
    z.object({ type: z.literal('content'), content: z.unknown() }),
  ]),
  title: z.string().max(500).nullable().optional(),
  context: z.string().nullable().optional(),
  ...blockExtras,
});
const toolUse = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  ...blockExtras,
});
const toolResult = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([z.string(), z.array(z.union([textBlock, z.looseObject({ type: z.string() })]))])
    .optional(),
  is_error: z.boolean().optional(),
  ...blockExtras,
});
const KNOWN_BLOCKS = ['text', 'image', 'document', 'tool_use', 'tool_result'];
// Thinking, server-tool and search-result blocks are parsed by type only, so the refusal can name them.
const otherBlock = z.looseObject({
  type: z.string().refine((t) => !KNOWN_BLOCKS.includes(t), 'malformed content block'),
});
const block = z.union([textBlock, imageBlock, documentBlock, toolUse, toolResult, otherBlock]);

/** The Messages body. Parameters not listed here are refused by name (see CARRIED_KEYS). */
export const anthropicMessagesBody = z.looseObject({
  model: z.string().min(1).max(200),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }))
    .min(1),
  tools: z
    .array(
      z.looseObject({
        type: z.string().optional(),
        name: z.string().min(1).max(200),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.object({ type: z.literal('none') }),
      z.object({
        type: z.literal('tool'),
        name: z.string().min(1),
        disable_parallel_tool_use: z.boolean().optional(),
      }),
    ])
    .optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string().min(1)).optional(),
  metadata: z.strictObject({ user_id: z.string().max(256).nullable().optional() }).optional(),
  thinking: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
      z.object({ type: z.literal('disabled') }),
      z.object({ type: z.literal('adaptive') }),
    ])
    .optional(),
  output_format: z
    .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
  stream: z.boolean().optional(),
});
export type AnthropicMessagesBody = z.infer<typeof anthropicMessagesBody>;

const CARRIED_KEYS = new Set(Object.keys(anthropicMessagesBody.shape));

type Block = z.infer<typeof block>;
const textsOf = (blocks: readonly { type: string; text?: unknown }[]) =>
  blocks.map((b) => (typeof b.text === 'string' ? b.text : ''));

/** Messages body → the gateway's vendor-neutral request (without provider). */
export function fromAnthropic(body: AnthropicMessagesBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const uncarried = new Set<string>(unknownKeys(body, CARRIED_KEYS));
  const extras = (b: { cache_control?: unknown; citations?: unknown }, at: string) => {
    if (b.cache_control !== undefined && b.cache_control !== null) uncarried.add(`${at}.cache_control`);
    if (b.citations !== undefined && b.citations !== null) uncarried.add(`${at}.citations`);
  };
  const toolNames = new Map<string, string>();
  const messages: ChatMessage[] = [];
  body.messages.forEach((m, i) => {
    if (typeof m.content === 'string') {
      messages.push(
        m.role === 'user' ? { role: 'user', content: m.content } : { role: 'assistant', content: m.content },
      );
      return;
    }
    const blocks = m.content as Block[];
    blocks.forEach((b, j) => {
      const at = `messages[${i}].content[${j}]`;
      if ('cache_control' in b || 'citations' in b) extras(b as { cache_control?: unknown }, at);
      const allowed =
        m.role === 'assistant' ? ['text', 'tool_use'] : ['text', 'image', 'document', 'tool_result'];
      if (!allowed.includes(b.type)) uncarried.add(`${at}.type=${b.type}`);
    });
    if (m.role === 'assistant') {
      const toolCalls = blocks.flatMap((b) => {
        if (b.type !== 'tool_use') return [];
        const u = b as z.infer<typeof toolUse>;
        toolNames.set(u.id, u.name);
        return [{ id: u.id, name: u.name, arguments: JSON.stringify(u.input ?? {}) }];
      });
      const texts = blocks.filter((b) => b.type === 'text');
      messages.push({
        role: 'assistant',
        ...(texts.length > 0 ? { content: textsOf(texts).join('\n') } : {}),
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
      });
      return;
    }
    const parts: UserPart[] = [];
    blocks.forEach((b, j) => {
      const at = `messages[${i}].content[${j}]`;
      if (b.type === 'tool_result') {
        const r = b as z.infer<typeof toolResult>;
        if (Array.isArray(r.content))
          r.content.forEach((c, k) => {
            if (c.type !== 'text') uncarried.add(`${at}.content[${k}].type=${c.type}`);
          });
        const content = typeof r.content === 'string' ? r.content : textsOf(r.content ?? []).join('\n');
        messages.push({
          role: 'tool',
          toolCallId: r.tool_use_id,
          toolName: toolNames.get(r.tool_use_id) ?? 'tool',
          content: r.is_error ? `error: ${content}` : content,
        });
        return;
      }
      if (b.type === 'text') parts.push({ type: 'text', text: (b as z.infer<typeof textBlock>).text });
      else if (b.type === 'image' || b.type === 'document') {
        const mb = b as z.infer<typeof imageBlock> | z.infer<typeof documentBlock>;
        const s = mb.source;
        if (s.type === 'text') {
          // A plain-text document is text: DLP reads it like any other part.
          parts.push({ type: 'text', text: s.data });
          return;
        }
        if (s.type === 'file' || s.type === 'content') {
          uncarried.add(`${at}.source.type=${s.type}`);
          return;
        }
        if (mb.type === 'document' && mb.context) uncarried.add(`${at}.context`);
        const part: MediaPart = {
          type: mb.type,
          mediaType: s.type === 'base64' ? s.media_type : mb.type === 'image' ? 'image/*' : 'application/pdf',
          source: s.type === 'base64' ? { type: 'base64', data: s.data } : { type: 'url', url: s.url },
          ...(mb.type === 'document' && mb.title ? { filename: mb.title } : {}),
        };
        parts.push(part);
      }
    });
    if (parts.length > 0)
      messages.push({
        role: 'user',
        content: parts.length === 1 && parts[0]!.type === 'text' ? parts[0]!.text : parts,
      });
  });
  if (Array.isArray(body.system))
    body.system.forEach((b, j) => {
      extras(b, `system[${j}]`);
    });
  const tools: ToolDefinition[] | undefined = body.tools?.map((t, i) => {
    // Server tools (web search, code execution…) run at Anthropic only and have no carrier elsewhere.
    if (t.type !== undefined && t.type !== 'custom') uncarried.add(`tools[${i}].type=${t.type}`);
    for (const key of Object.keys(t))
      if (!['type', 'name', 'description', 'input_schema'].includes(key)) uncarried.add(`tools[${i}].${key}`);
    return {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema ?? { type: 'object', properties: {} },
    };
  });
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
  const parallelOff =
    c !== undefined && 'disable_parallel_tool_use' in c && c.disable_parallel_tool_use === true;
  const system =
    body.system === undefined
      ? undefined
      : typeof body.system === 'string'
        ? body.system
        : textsOf(body.system).join('\n');
  if (body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive')
    // The answer's thinking blocks have no place in the gateway's answers yet, so thinking is not asked for.
    uncarried.add(`thinking.type=${body.thinking.type}`);
  const format: ResponseFormat | undefined = body.output_format
    ? { type: 'json-schema', schema: body.output_format.schema }
    : undefined;
  return {
    model: body.model,
    ...(system ? { system } : {}),
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    maxTokens: body.max_tokens,
    ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
    ...(body.top_p !== undefined ? { topP: body.top_p } : {}),
    ...(body.top_k !== undefined ? { topK: body.top_k } : {}),
    ...(body.stop_sequences?.length ? { stopSequences: body.stop_sequences } : {}),
    ...(body.metadata?.user_id ? { user: body.metadata.user_id } : {}),
    ...(parallelOff ? { parallelToolCalls: false } : {}),
    ...(body.thinking?.type === 'disabled' ? { thinking: { type: 'disabled' as const } } : {}),
    ...(format ? { responseFormat: format } : {}),
    ...(uncarried.size > 0 ? { uncarried: [...uncarried] } : {}),
  };
}
