import { z } from 'zod';
import {
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  cacheBreakpoints,
  MAX_CACHE_BREAKPOINTS,
  type MediaPart,
  type ReasoningPart,
  type ResponseFormat,
  type ThinkingConfig,
  type ToolChoice,
  type ToolDefinition,
  type UserPart,
} from '../commands.js';
import { anthropicExtraFields, anthropicExtras } from './anthropic-extras.js';

const cacheControl = z.strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
// Citations have no carrier: parsed so that the refusal can name them.
const blockExtras = { cache_control: cacheControl.nullable().optional(), citations: z.unknown().optional() };
const textBlock = z.strictObject({ type: z.literal('text'), text: z.string(), ...blockExtras });
const base64Source = (mediaTypes: readonly [string, ...string[]]) =>
  z.strictObject({ type: z.literal('base64'), media_type: z.enum(mediaTypes), data: z.string().min(1) });
const urlSource = z.strictObject({
  type: z.literal('url'),
  url: z.string().regex(/^https?:\/\//i, 'an http(s) URL'),
});
const fileSource = z.strictObject({ type: z.literal('file'), file_id: z.string().min(1) });
const imageBlock = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    base64Source(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    urlSource,
    fileSource,
  ]),
  ...blockExtras,
});
const documentBlock = z.strictObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    base64Source(['application/pdf']),
    urlSource,
    fileSource,
    z.strictObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
    z.strictObject({ type: z.literal('content'), content: z.unknown() }),
  ]),
  title: z.string().max(500).nullable().optional(),
  context: z.string().nullable().optional(),
  ...blockExtras,
});
// `caller` comes back on every tool_use of an answer; a direct call (the default) is what the gateway sends.
const toolUse = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  caller: z.looseObject({ type: z.string() }).nullable().optional(),
  ...blockExtras,
});
const toolResult = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([
      z.string(),
      z.array(
        z.union([
          textBlock,
          // Other block types are parsed by type only, so the refusal can name them.
          z.looseObject({
            type: z.string().refine((t) => t !== 'text', { message: 'malformed text block', abort: true }),
          }),
        ]),
      ),
    ])
    .optional(),
  is_error: z.boolean().optional(),
  ...blockExtras,
});
// Thinking blocks of an earlier answer travel back exactly as they came: the signature vouches for the text.
const thinkingBlock = z.strictObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
  ...blockExtras,
});
const redactedThinkingBlock = z.strictObject({
  type: z.literal('redacted_thinking'),
  data: z.string().min(1),
  ...blockExtras,
});
const KNOWN_BLOCKS = [
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
];
// Server-tool and search-result blocks are parsed by type only, so the refusal can name them.
const otherBlock = z.looseObject({
  type: z
    .string()
    .refine((t) => !KNOWN_BLOCKS.includes(t), { message: 'malformed content block', abort: true }),
});
const block = z.union([
  textBlock,
  imageBlock,
  documentBlock,
  toolUse,
  toolResult,
  thinkingBlock,
  redactedThinkingBlock,
  otherBlock,
]);
const display = z.enum(['summarized', 'omitted']).nullable().optional();

/** The Messages body. Keys not listed here, at any depth, are refused by path (strict-parse.ts). */
export const anthropicMessagesBody = z.strictObject({
  model: z.string().min(1).max(200),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z
    .array(
      z.strictObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(block)]) }),
    )
    .min(1),
  tools: z
    .array(
      z.strictObject({
        type: z.string().nullable().optional(),
        name: z.string().min(1).max(200),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
        cache_control: cacheControl.nullable().optional(),
      }),
    )
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
      z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
      z.strictObject({ type: z.literal('none') }),
      z.strictObject({
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
      z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024), display }),
      z.strictObject({ type: z.literal('adaptive'), display }),
      z.strictObject({ type: z.literal('between_tools') }),
      z.strictObject({ type: z.literal('disabled') }),
    ])
    .nullable()
    .optional(),
  // Automatic caching: one breakpoint for the whole request, placed by Anthropic.
  cache_control: cacheControl.nullable().optional(),
  output_format: z
    .strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
  stream: z.boolean().optional(),
  ...anthropicExtraFields,
});
export type AnthropicMessagesBody = z.infer<typeof anthropicMessagesBody>;

/** `POST /v1/messages`: the body, with thinking's budget inside max tokens as Anthropic requires. */
export const anthropicMessagesRequest = anthropicMessagesBody.superRefine((body, ctx) => {
  if (body.thinking?.type === 'enabled' && body.thinking.budget_tokens >= body.max_tokens)
    ctx.addIssue({
      code: 'custom',
      path: ['thinking', 'budget_tokens'],
      message: 'must be less than max_tokens, which counts the thinking too',
    });
});

type Block = z.infer<typeof block>;
type CacheParam = z.infer<typeof cacheControl> | null | undefined;
const textsOf = (blocks: readonly { type: string; text?: unknown }[]) =>
  blocks.map((b) => (typeof b.text === 'string' ? b.text : ''));
const cacheOf = (c: CacheParam): CacheControl | undefined =>
  c ? { type: 'ephemeral', ...(c.ttl ? { ttl: c.ttl } : {}) } : undefined;
const withCache = (c: CacheParam) => {
  const cache = cacheOf(c);
  return cache ? { cacheControl: cache } : {};
};

function thinkingOf(body: AnthropicMessagesBody, uncarried: Set<string>): ThinkingConfig | undefined {
  const t = body.thinking;
  if (!t) return undefined;
  switch (t.type) {
    case 'enabled':
      // The SDK model carries `display` for adaptive thinking only.
      if (t.display) uncarried.add('thinking.display');
      return { type: 'enabled', budgetTokens: t.budget_tokens };
    case 'adaptive':
      return { type: 'adaptive', ...(t.display ? { display: t.display } : {}) };
    default:
      return { type: t.type };
  }
}

/**
 * An assistant turn: its thinking blocks lead (in their order), then its text, then its tool calls. A
 * breakpoint is carried on the block that stays last in that order, which is where Anthropic's SDK model
 * puts a message's breakpoint; anywhere else it would move, so it is refused by name.
 */
function assistantTurn(
  blocks: Block[],
  at: string,
  uncarried: Set<string>,
  toolNames: Map<string, string>,
): ChatMessage {
  const reasoning: ReasoningPart[] = [];
  const lastOf = (type: string) => blocks.findLastIndex((b) => b.type === type);
  const lastKept = lastOf('tool_use') >= 0 ? lastOf('tool_use') : lastOf('text');
  let cache: CacheControl | undefined;
  let content = false;
  blocks.forEach((b, j) => {
    const where = `${at}[${j}]`;
    const c = (b as { cache_control?: CacheParam }).cache_control;
    if (b.type === 'thinking' || b.type === 'redacted_thinking') {
      // Anthropic caches no thinking block by itself, and the SDK model would drop the breakpoint.
      if (c) uncarried.add(`${where}.cache_control`);
      if (content) uncarried.add(`${where} (thinking after text or tool_use)`);
      reasoning.push(
        b.type === 'thinking'
          ? {
              type: 'thinking',
              text: (b as z.infer<typeof thinkingBlock>).thinking,
              signature: (b as z.infer<typeof thinkingBlock>).signature,
            }
          : { type: 'redacted-thinking', data: (b as z.infer<typeof redactedThinkingBlock>).data },
      );
      return;
    }
    content = true;
    if (c && j === lastKept) cache = cacheOf(c);
    else if (c) uncarried.add(`${where}.cache_control`);
  });
  const toolCalls = blocks.flatMap((b) => {
    if (b.type !== 'tool_use') return [];
    const u = b as z.infer<typeof toolUse>;
    toolNames.set(u.id, u.name);
    return [{ id: u.id, name: u.name, arguments: JSON.stringify(u.input ?? {}) }];
  });
  const texts = blocks.filter((b) => b.type === 'text');
  return {
    role: 'assistant',
    ...(texts.length > 0 ? { content: textsOf(texts).join('\n') } : {}),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
    ...(cache ? { cacheControl: cache } : {}),
  };
}

/** Messages body → the gateway's vendor-neutral request (without provider). */
export function fromAnthropic(body: AnthropicMessagesBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const uncarried = new Set<string>();
  const citations = (b: { citations?: unknown }, at: string) => {
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
      if ('citations' in b) citations(b as { citations?: unknown }, at);
      const caller = (b as { caller?: { type: string } | null }).caller;
      if (caller && caller.type !== 'direct') uncarried.add(`${at}.caller.type=${caller.type}`);
      const allowed =
        m.role === 'assistant'
          ? ['thinking', 'redacted_thinking', 'text', 'tool_use']
          : ['text', 'image', 'document', 'tool_result'];
      if (!allowed.includes(b.type)) uncarried.add(`${at}.type=${b.type}`);
    });
    if (m.role === 'assistant') {
      messages.push(assistantTurn(blocks, `messages[${i}].content`, uncarried, toolNames));
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
            // Its text blocks are joined into one result, so a breakpoint inside it has nowhere to go.
            else if ((c as { cache_control?: CacheParam }).cache_control)
              uncarried.add(`${at}.content[${k}].cache_control`);
            if (c.type === 'text') citations(c as { citations?: unknown }, `${at}.content[${k}]`);
          });
        const content = typeof r.content === 'string' ? r.content : textsOf(r.content ?? []).join('\n');
        messages.push({
          role: 'tool',
          toolCallId: r.tool_use_id,
          toolName: toolNames.get(r.tool_use_id) ?? 'tool',
          content: r.is_error ? `error: ${content}` : content,
          ...withCache(r.cache_control),
        });
        return;
      }
      if (b.type === 'text') {
        const t = b as z.infer<typeof textBlock>;
        parts.push({ type: 'text', text: t.text, ...withCache(t.cache_control) });
      } else if (b.type === 'image' || b.type === 'document') {
        const mb = b as z.infer<typeof imageBlock> | z.infer<typeof documentBlock>;
        const s = mb.source;
        if (s.type === 'text') {
          // A plain-text document is text: DLP reads it like any other part.
          parts.push({ type: 'text', text: s.data, ...withCache(mb.cache_control) });
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
          ...withCache(mb.cache_control),
        };
        parts.push(part);
      }
    });
    if (parts.length > 0)
      messages.push({
        role: 'user',
        content:
          parts.length === 1 && parts[0]!.type === 'text' && !parts[0]!.cacheControl ? parts[0]!.text : parts,
      });
  });
  const systemBlocks = Array.isArray(body.system) ? body.system : [];
  systemBlocks.forEach((b, j) => {
    citations(b, `system[${j}]`);
  });
  // System blocks stay apart only when one is a breakpoint: elsewhere they are one text, as before.
  const cachedSystem = systemBlocks.some((b) => b.cache_control);
  if (cachedSystem)
    messages.unshift(
      ...systemBlocks.map(
        (b): ChatMessage => ({ role: 'system', content: b.text, ...withCache(b.cache_control) }),
      ),
    );
  const tools: ToolDefinition[] | undefined = body.tools?.map((t, i) => {
    // Server tools (web search, code execution…) run at Anthropic only and have no carrier elsewhere.
    if (t.type !== undefined && t.type !== null && t.type !== 'custom')
      uncarried.add(`tools[${i}].type=${t.type}`);
    return {
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      parameters: t.input_schema ?? { type: 'object', properties: {} },
      ...withCache(t.cache_control),
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
    body.system === undefined || cachedSystem
      ? undefined
      : typeof body.system === 'string'
        ? body.system
        : textsOf(body.system).join('\n');
  const thinking = thinkingOf(body, uncarried);
  const extras = anthropicExtras(body, uncarried);
  // `output_config.format` is the generally available name of the beta's `output_format`.
  const schema = body.output_format?.schema ?? extras.formatSchema;
  if (body.output_format && extras.formatSchema) uncarried.add('output_config.format (with output_format)');
  const format: ResponseFormat | undefined = schema ? { type: 'json-schema', schema } : undefined;
  const request = {
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
    ...(thinking ? { thinking } : {}),
    ...withCache(body.cache_control),
    ...(format ? { responseFormat: format } : {}),
    ...(extras.effort ? { effort: extras.effort } : {}),
    ...(extras.contextEdits ? { contextEdits: extras.contextEdits } : {}),
  };
  // Anthropic refuses more; its SDK model would drop the ones beyond.
  if (cacheBreakpoints(request).length > MAX_CACHE_BREAKPOINTS)
    uncarried.add(`cache_control (more than ${MAX_CACHE_BREAKPOINTS} breakpoints)`);
  return { ...request, ...(uncarried.size > 0 ? { uncarried: [...uncarried] } : {}) };
}
