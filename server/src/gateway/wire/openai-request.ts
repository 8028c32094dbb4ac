import { z } from 'zod';
import type {
  ChatMessage,
  ChatRequest,
  MediaPart,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
  UserPart,
} from '../commands.js';

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;
const HTTP_URL = /^https?:\/\//i;

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({
    url: z
      .string()
      .refine(
        (u) => DATA_URL.exec(u)?.[1]?.startsWith('image/') || HTTP_URL.test(u),
        'expected an http(s) URL or a data: URL of an image in base64',
      ),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});
const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({
    file_data: z
      .string()
      .refine(
        (u) => DATA_URL.exec(u)?.[1] === 'application/pdf',
        'expected a data: URL of an application/pdf document in base64',
      )
      .optional(),
    file_id: z.string().min(1).optional(),
    filename: z.string().max(500).optional(),
  }),
});
// Other part types (input_audio, refusal…) are parsed by type only, so the refusal can name them.
const otherPart = z.looseObject({
  type: z.string().refine((t) => !['text', 'image_url', 'file'].includes(t), {
    message: 'malformed content part',
    abort: true,
  }),
});
const userPart = z.union([textPart, imagePart, filePart, otherPart]);
const content = z.union([z.string(), z.array(z.union([textPart, otherPart])), z.null()]).optional();
const userContent = z.union([z.string(), z.array(userPart)]);

// A message's `name` and the deprecated assistant fields are accepted here only to be refused by name; an
// answer's `annotations` (which the SDK keeps on a message passed back) pass when empty. Any other key, at
// any depth, is refused by its path (strict objects, see strict-parse.ts).
const named = { name: z.string().nullable().optional() };
// Custom (free-form) tools, their calls and a choice of one: no provider here carries them, so they are
// parsed only for the refusal to name them.
const customTool = z.strictObject({
  type: z.literal('custom'),
  custom: z.strictObject({
    name: z.string().min(1).max(200),
    description: z.string().optional(),
    format: z.unknown().optional(),
  }),
});
const customToolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('custom'),
  custom: z.strictObject({ name: z.string().min(1), input: z.string() }),
});
const customToolChoice = z.strictObject({
  type: z.literal('custom'),
  custom: z.strictObject({ name: z.string().min(1) }),
});
const message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.enum(['system', 'developer']), content, ...named }),
  z.strictObject({ role: z.literal('user'), content: userContent, ...named }),
  z.strictObject({
    role: z.literal('assistant'),
    content,
    ...named,
    refusal: z.string().nullable().optional(),
    audio: z.unknown().optional(),
    function_call: z.unknown().optional(),
    annotations: z.array(z.unknown()).nullable().optional(),
    tool_calls: z
      .array(
        z.union([
          z.strictObject({
            id: z.string().min(1),
            type: z.literal('function').optional(),
            function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
          }),
          customToolCall,
        ]),
      )
      .nullable()
      .optional(),
  }),
  z.strictObject({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
  // Deprecated with `functions`; parsed so that the refusal names it.
  z.strictObject({ role: z.literal('function'), name: z.string(), content: z.string().nullable() }),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);

/** The Chat Completions body. Keys not listed here, at any depth, are refused by path (strict-parse.ts). */
export const openAiChatBody = z.strictObject({
  model: z.string().min(1).max(200),
  messages: z.array(message).min(1),
  tools: z
    .array(
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('function'),
          function: z.strictObject({
            name: z.string().min(1).max(200),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
            strict: z.boolean().nullable().optional(),
          }),
        }),
        customTool,
      ]),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.strictObject({
        type: z.literal('function'),
        function: z.strictObject({ name: z.string().min(1) }),
      }),
      customToolChoice,
    ])
    .optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stop: z
    .union([z.string().min(1), z.array(z.string().min(1)).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  response_format: responseFormat.nullable().optional(),
  user: z.string().max(512).nullable().optional(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullable().optional(),
  logprobs: z.boolean().nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  n: z.number().int().positive().max(128).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z
    .strictObject({
      include_usage: z.boolean().nullable().optional(),
      include_obfuscation: z.boolean().nullable().optional(),
    })
    .nullable()
    .optional(),
});
export type OpenAiChatBody = z.infer<typeof openAiChatBody>;

const joined = (c: z.infer<typeof content>) =>
  c === null || c === undefined
    ? ''
    : typeof c === 'string'
      ? c
      : c.map((p) => (typeof p.text === 'string' ? p.text : '')).join('\n');

/** A data URL becomes inline bytes; an http(s) URL (the schema allows no other) is for the vendor to fetch. */
function media(type: MediaPart['type'], url: string, fallbackType: string): MediaPart {
  const data = DATA_URL.exec(url);
  if (data) return { type, mediaType: data[1]!, source: { type: 'base64', data: data[2]! } };
  return { type, mediaType: fallbackType, source: { type: 'url', url } };
}

/** Chat Completions body → the gateway's vendor-neutral request (without provider). */
export function fromOpenAi(body: OpenAiChatBody): Omit<ChatRequest, 'provider' | 'credentials'> {
  const uncarried = new Set<string>();
  const toolNames = new Map<string, string>();
  const textOnly = (c: z.infer<typeof content>, at: string) => {
    if (Array.isArray(c))
      c.forEach((p, j) => {
        if (p.type !== 'text') uncarried.add(`${at}.content[${j}].type=${p.type}`);
      });
    return joined(c);
  };
  const messages: ChatMessage[] = body.messages.flatMap((m, i): ChatMessage[] => {
    const at = `messages[${i}]`;
    if ('name' in m && m.name !== undefined && m.name !== null) uncarried.add(`${at}.name`);
    switch (m.role) {
      case 'system':
      case 'developer':
        return [{ role: 'system', content: textOnly(m.content, at) }];
      case 'user': {
        if (typeof m.content === 'string') return [{ role: 'user', content: m.content }];
        const parts = m.content.map((p, j): UserPart | undefined => {
          const partAt = `${at}.content[${j}]`;
          if (p.type === 'text') return { type: 'text', text: String(p.text) };
          if (p.type === 'image_url') {
            const { image_url } = p as z.infer<typeof imagePart>;
            const part = media('image', image_url.url, 'image/*');
            return image_url.detail && image_url.detail !== 'auto'
              ? { ...part, detail: image_url.detail }
              : part;
          }
          if (p.type === 'file') {
            const { file } = p as z.infer<typeof filePart>;
            if (file.file_id !== undefined) uncarried.add(`${partAt}.file.file_id`);
            if (file.file_data === undefined) return undefined;
            const part = media('document', file.file_data, 'application/pdf');
            return file.filename ? { ...part, filename: file.filename } : part;
          }
          uncarried.add(`${partAt}.type=${p.type}`);
          return undefined;
        });
        return [{ role: 'user', content: parts.filter((p): p is UserPart => p !== undefined) }];
      }
      case 'assistant': {
        for (const key of ['refusal', 'audio', 'function_call'] as const)
          if (m[key] !== undefined && m[key] !== null) uncarried.add(`${at}.${key}`);
        if (m.annotations?.length) uncarried.add(`${at}.annotations`);
        const toolCalls = m.tool_calls?.flatMap((c, j) => {
          if (c.type === 'custom') {
            uncarried.add(`${at}.tool_calls[${j}].type=custom`);
            return [];
          }
          toolNames.set(c.id, c.function.name);
          return [{ id: c.id, name: c.function.name, arguments: c.function.arguments }];
        });
        return [
          {
            role: 'assistant',
            ...(m.content ? { content: textOnly(m.content, at) } : {}),
            ...(toolCalls?.length ? { toolCalls } : {}),
          },
        ];
      }
      case 'tool':
        return [
          {
            role: 'tool',
            toolCallId: m.tool_call_id,
            toolName: toolNames.get(m.tool_call_id) ?? 'tool',
            content: textOnly(m.content, at),
          },
        ];
      case 'function':
        uncarried.add(`${at}.role=function (deprecated: send the result as role "tool")`);
        return [];
      default: {
        const never: never = m;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  });
  const tools: ToolDefinition[] | undefined = body.tools?.flatMap((t, i): ToolDefinition[] => {
    if (t.type === 'custom') {
      uncarried.add(`tools[${i}].type=custom`);
      return [];
    }
    return [
      {
        name: t.function.name,
        ...(t.function.description ? { description: t.function.description } : {}),
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
        ...(typeof t.function.strict === 'boolean' ? { strict: t.function.strict } : {}),
      },
    ];
  });
  const choice = body.tool_choice;
  let toolChoice: ToolChoice | undefined;
  if (typeof choice === 'string') toolChoice = choice;
  else if (choice?.type === 'custom') uncarried.add('tool_choice.type=custom');
  else if (choice) toolChoice = { tool: choice.function.name };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  // OpenAI itself rejects top_logprobs without logprobs: true; refused here by the same rule.
  const topLogprobs = body.top_logprobs ?? undefined;
  if (topLogprobs !== undefined && body.logprobs !== true)
    uncarried.add('top_logprobs (without logprobs: true)');
  const logprobs = body.logprobs === true ? { top: topLogprobs ?? 0 } : undefined;
  if (body.stream_options?.include_obfuscation === true) uncarried.add('stream_options.include_obfuscation');
  const rf = body.response_format;
  const format: ResponseFormat | undefined =
    rf === undefined || rf === null
      ? undefined
      : rf.type === 'text'
        ? { type: 'text' }
        : rf.type === 'json_object'
          ? { type: 'json' }
          : {
              type: 'json-schema',
              schema: rf.json_schema.schema ?? { type: 'object' },
              name: rf.json_schema.name,
              ...(rf.json_schema.description ? { description: rf.json_schema.description } : {}),
              ...(typeof rf.json_schema.strict === 'boolean' ? { strict: rf.json_schema.strict } : {}),
            };
  const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? undefined);
  const num = (v: number | null | undefined) => (typeof v === 'number' ? v : undefined);
  const optional = {
    temperature: num(body.temperature),
    topP: num(body.top_p),
    seed: num(body.seed),
    frequencyPenalty: num(body.frequency_penalty),
    presencePenalty: num(body.presence_penalty),
    n: num(body.n),
    stopSequences: stop,
    responseFormat: format,
    user: body.user ?? undefined,
    metadata: body.metadata ?? undefined,
    parallelToolCalls: body.parallel_tool_calls ?? undefined,
    reasoningEffort: (body.reasoning_effort ?? undefined) as ReasoningEffort | undefined,
    logprobs,
  };
  return {
    model: body.model,
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(maxTokens ? { maxTokens } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...(uncarried.size > 0 ? { uncarried: [...uncarried] } : {}),
  };
}
