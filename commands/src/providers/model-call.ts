import type {
  JSONObject,
  JSONSchema7,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3TextPart,
  SharedV3ProviderOptions,
} from '@ai-sdk/provider';
import { appliedEditsOf } from './applied-edits.js';
import { cacheOptions, toFinishReason, toModelMessages, vendorTools } from './convert.js';
import { logprobsOf } from './logprobs.js';
import { reasoningOf } from './reasoning.js';
import type { ChatRequest, ChatResult, MediaPart, ToolCall, UserPart } from './types.js';
import { usageOf } from './vendor-usage.js';

function filePart(part: MediaPart): LanguageModelV3FilePart {
  return {
    type: 'file',
    mediaType: part.mediaType,
    data: part.source.type === 'url' ? new URL(part.source.url) : part.source.data,
    ...(part.filename ? { filename: part.filename } : {}),
    ...(part.detail ? { providerOptions: { openai: { imageDetail: part.detail } } } : {}),
    ...cacheOptions(part.cacheControl),
  };
}

/**
 * A user message's parts for the provider. Text parts stay separate parts (every vendor keeps them apart),
 * except for DeepSeek, whose SDK model concatenates text parts with nothing between them: there they are
 * joined with a newline first so that "hi" and "there" do not arrive as "hithere".
 */
function userParts(
  request: ChatRequest,
  content: string | UserPart[],
): (LanguageModelV3TextPart | LanguageModelV3FilePart)[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (request.provider === 'deepseek' && content.every((p) => p.type === 'text'))
    return [{ type: 'text', text: content.map((p) => p.text).join('\n') }];
  return content.map((p) =>
    p.type === 'text' ? { type: 'text', text: p.text, ...cacheOptions(p.cacheControl) } : filePart(p),
  );
}

/** The request in the SDK's provider prompt format: the system leads; user parts keep their order. */
function toPrompt(request: ChatRequest): LanguageModelV3Prompt {
  const { system, systemBlocks, messages } = toModelMessages(request);
  let user = 0;
  const users = request.messages.filter((m) => m.role === 'user');
  const prompt = messages.map((m) =>
    m.role === 'user' ? { role: 'user' as const, content: userParts(request, users[user++]!.content) } : m,
  ) as LanguageModelV3Prompt;
  // Consecutive leading system messages become Anthropic's system blocks, each with its own breakpoint.
  const head: LanguageModelV3Prompt = systemBlocks
    ? systemBlocks.map((b) => ({ role: 'system', content: b.content, ...cacheOptions(b.cacheControl) }))
    : system === undefined
      ? []
      : [{ role: 'system', content: system }];
  return [...head, ...prompt];
}

function toTools(request: ChatRequest) {
  const { tools, removedSchemaKeywords } = vendorTools(request);
  return {
    removedSchemaKeywords,
    ...(tools.length === 0
      ? {}
      : {
          tools: tools.map((t) => ({
            type: 'function' as const,
            name: t.name,
            ...(t.description ? { description: t.description } : {}),
            inputSchema: t.parameters as JSONSchema7,
            ...(t.strict !== undefined ? { strict: t.strict } : {}),
            ...cacheOptions(t.cacheControl),
          })),
        }),
  };
}

function toToolChoice(request: ChatRequest): LanguageModelV3CallOptions['toolChoice'] {
  const choice = request.toolChoice;
  if (choice === undefined) return undefined;
  return typeof choice === 'string' ? { type: choice } : { type: 'tool', toolName: choice.tool };
}

const defined = (o: Record<string, unknown>): JSONObject =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JSONObject;

function anthropicThinking(request: ChatRequest): JSONObject | undefined {
  const t = request.thinking;
  if (t === undefined) return undefined;
  if (t.type === 'enabled') return { type: 'enabled', budgetTokens: t.budgetTokens };
  if (t.type === 'adaptive')
    return t.display ? { type: 'adaptive', display: t.display } : { type: 'adaptive' };
  return { type: t.type };
}

/**
 * The max tokens for the SDK's common setting. Anthropic's `max_tokens` includes the thinking budget, and
 * its SDK model adds the budget to this setting, so the budget is taken off first: the vendor then gets
 * the caller's own `max_tokens`.
 */
function maxOutputTokens(request: ChatRequest): number | undefined {
  const { maxTokens, thinking } = request;
  if (maxTokens === undefined || request.provider !== 'anthropic' || thinking?.type !== 'enabled')
    return maxTokens;
  return maxTokens - thinking.budgetTokens;
}

/**
 * The request's options without a common SDK setting, under the provider's own `providerOptions` key. Only
 * features its CARRIED entry lists reach here (the gateway refuses the rest), so nothing is set that the
 * provider's SDK model would ignore.
 */
function providerOptions(request: ChatRequest): SharedV3ProviderOptions | undefined {
  const r = request;
  const strictSchema = r.responseFormat?.type === 'json-schema' ? r.responseFormat.strict : undefined;
  switch (r.provider) {
    case 'openai':
      return {
        openai: defined({
          user: r.user,
          metadata: r.metadata,
          parallelToolCalls: r.parallelToolCalls,
          reasoningEffort: r.reasoningEffort,
          strictJsonSchema: strictSchema,
          // The SDK's one field: a number asks for that many alternatives per token, `true` for none.
          logprobs: r.logprobs === undefined ? undefined : r.logprobs.top > 0 ? r.logprobs.top : true,
        }),
      };
    case 'anthropic':
      return {
        anthropic: defined({
          metadata: r.user !== undefined ? { userId: r.user } : undefined,
          // Anthropic only has the negative switch; `true` is its default.
          disableParallelToolUse: r.parallelToolCalls === false ? true : undefined,
          thinking: anthropicThinking(r),
          cacheControl: r.cacheControl ? { ...r.cacheControl } : undefined,
          effort: r.effort,
          // The SDK model adds the context-management beta itself when edits are set.
          contextManagement: r.contextEdits ? { edits: r.contextEdits } : undefined,
        }),
      };
    case 'deepseek':
      return { deepseek: defined({ userId: r.user }) };
    case 'openai-compatible':
      // Keys the SDK does not know go into the body verbatim, in the wire format's own names.
      return {
        'openai-compatible': defined({
          user: r.user,
          reasoningEffort: r.reasoningEffort,
          strictJsonSchema: strictSchema,
          metadata: r.metadata,
          parallel_tool_calls: r.parallelToolCalls,
          top_k: r.topK,
        }),
      };
    default:
      return undefined;
  }
}

/** Everything of a call but the abort signal, as the SDK's provider models take it. */
export function callOptions(request: ChatRequest): {
  options: Omit<LanguageModelV3CallOptions, 'abortSignal'>;
  removedSchemaKeywords: string[];
} {
  const r = request;
  const { tools, removedSchemaKeywords } = toTools(r);
  const toolChoice = toToolChoice(r);
  const format = r.responseFormat;
  const responseFormat: LanguageModelV3CallOptions['responseFormat'] =
    format === undefined || format.type === 'text'
      ? undefined
      : format.type === 'json'
        ? { type: 'json' }
        : {
            type: 'json',
            schema: format.schema as JSONSchema7,
            ...(format.name ? { name: format.name } : {}),
            ...(format.description ? { description: format.description } : {}),
          };
  const extra = providerOptions(r);
  // The OpenAI-compatible model's common topK field is dropped with a warning; it goes raw above instead.
  const topK = r.provider === 'openai-compatible' ? undefined : r.topK;
  const maxOutput = maxOutputTokens(r);
  return {
    removedSchemaKeywords,
    options: {
      prompt: toPrompt(r),
      ...(tools ? { tools } : {}),
      ...(toolChoice ? { toolChoice } : {}),
      ...(maxOutput !== undefined ? { maxOutputTokens: maxOutput } : {}),
      ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
      ...(r.topP !== undefined ? { topP: r.topP } : {}),
      ...(topK !== undefined ? { topK } : {}),
      ...(r.stopSequences?.length ? { stopSequences: r.stopSequences } : {}),
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.frequencyPenalty !== undefined ? { frequencyPenalty: r.frequencyPenalty } : {}),
      ...(r.presencePenalty !== undefined ? { presencePenalty: r.presencePenalty } : {}),
      ...(responseFormat ? { responseFormat } : {}),
      ...(extra && Object.values(extra).some((o) => Object.keys(o).length > 0)
        ? { providerOptions: extra }
        : {}),
      // The SDK model merges these with the betas it adds itself into one header.
      ...(r.provider === 'anthropic' && r.anthropicBetas?.length
        ? { headers: { 'anthropic-beta': r.anthropicBetas.join(',') } }
        : {}),
    },
  };
}

/** A vendor's arguments string, re-serialised when it is JSON so every vendor's calls read alike. */
export function normalisedArguments(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input || '{}'));
  } catch {
    return input;
  }
}

/**
 * One non-streaming attempt straight through the provider model (`doGenerate`). The SDK's
 * `generateText` adds prompt validation, telemetry and multi-step tool loops that a gateway
 * forwarding one call does not use, at about half the CPU of the whole vendor call.
 */
export async function generateOnce(options: {
  model: LanguageModelV3;
  request: ChatRequest;
  abortSignal: AbortSignal;
}): Promise<Omit<ChatResult, 'attempts'>> {
  const { model, request } = options;
  const call = callOptions(request);
  const result = await model.doGenerate({ ...call.options, abortSignal: options.abortSignal });
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of result.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call')
      toolCalls.push({
        id: part.toolCallId,
        name: part.toolName,
        arguments: normalisedArguments(part.input),
      });
  }
  const reasoning = reasoningOf(request.provider, result.content);
  const logprobs = request.logprobs ? logprobsOf(result.providerMetadata) : undefined;
  const appliedEdits = request.contextEdits ? appliedEditsOf(result.providerMetadata) : undefined;
  return {
    provider: request.provider,
    model: request.model,
    text,
    toolCalls,
    finishReason: toFinishReason(result.finishReason.unified),
    usage: usageOf(result.usage),
    removedSchemaKeywords: call.removedSchemaKeywords,
    ...(reasoning.length > 0 ? { reasoning } : {}),
    ...(logprobs ? { logprobs } : {}),
    ...(appliedEdits ? { appliedEdits } : {}),
  };
}

/** One streaming attempt through the provider model (`doStream`), with the same options as generateOnce. */
export async function streamOnce(options: {
  model: LanguageModelV3;
  request: ChatRequest;
  abortSignal: AbortSignal;
}): Promise<{ stream: ReadableStream<LanguageModelV3StreamPart>; removedSchemaKeywords: string[] }> {
  const call = callOptions(options.request);
  const { stream } = await options.model.doStream({
    ...call.options,
    // Anthropic's message_start carries the input and cache usage; the SDK surfaces it only raw.
    ...(options.request.provider === 'anthropic' ? { includeRawChunks: true } : {}),
    abortSignal: options.abortSignal,
  });
  return { stream, removedSchemaKeywords: call.removedSchemaKeywords };
}
