import { cacheBreakpoints } from './cache-control.js';
import type { ChatRequest, ProviderId, UserPart } from './types.js';

/**
 * The request features beyond model, messages, tools, tool choice, max tokens and temperature, which every
 * provider carries. Each has one carrier per provider (an AI SDK common setting or its `providerOptions`);
 * a feature a provider has no carrier for is refused before the call, never dropped.
 */
export const REQUEST_FEATURES = [
  'temperature',
  'topP',
  'topK',
  'stopSequences',
  'seed',
  'frequencyPenalty',
  'presencePenalty',
  'jsonObject',
  'jsonSchema',
  'user',
  'metadata',
  'parallelToolCalls',
  'reasoningEffort',
  'thinking',
  'thinkingBlocks',
  'cacheControl',
  'forcedToolChoice',
  'strictTools',
  'multipleChoices',
  'logprobs',
  'anthropicBetas',
  'effort',
  'contextEdits',
  'images',
  'imageUrls',
  'imageDetail',
  'documents',
  'documentUrls',
] as const;
export type RequestFeature = (typeof REQUEST_FEATURES)[number];

const ANTHROPIC_ONLY: RequestFeature[] = ['anthropicBetas', 'effort', 'contextEdits'];
const without = (...features: RequestFeature[]) =>
  new Set<RequestFeature>(REQUEST_FEATURES.filter((f) => !features.includes(f)));

/**
 * What each provider carries, from the AI SDK providers' request builders: a feature missing here is one the
 * provider's SDK model would drop (with a warning) or that the vendor's API has no field for.
 * - `multipleChoices` (n > 1): every SDK model reads one choice, so the registry runs n calls of one
 *   choice each (multiple-choices.ts), which any provider can answer.
 * - `imageUrls`: Gemini only fetches its own storage URLs, and the gateway does not download for it.
 * - `logprobs`: only the OpenAI SDK model returns them (as provider metadata); the demo has no tokens.
 * - `anthropicBetas`, `effort`, `contextEdits`: Anthropic's own (and the demo's, which ignores them).
 */
export const CARRIED: Readonly<Record<ProviderId, ReadonlySet<RequestFeature>>> = {
  openai: without('topK', 'thinking', 'thinkingBlocks', 'cacheControl', 'documentUrls', ...ANTHROPIC_ONLY),
  // Every provider below but OpenAI lacks `logprobs`; all but Anthropic and the demo its own (see above).
  anthropic: without(
    'seed',
    'frequencyPenalty',
    'presencePenalty',
    'jsonObject',
    'metadata',
    'reasoningEffort',
    'strictTools',
    'imageDetail',
    'logprobs',
  ),
  gemini: without(
    'user',
    'metadata',
    'parallelToolCalls',
    'reasoningEffort',
    'thinking',
    'thinkingBlocks',
    'cacheControl',
    'strictTools',
    'imageUrls',
    'imageDetail',
    'documentUrls',
    'logprobs',
    ...ANTHROPIC_ONLY,
  ),
  deepseek: without(
    'topK',
    'seed',
    'frequencyPenalty',
    'presencePenalty',
    'jsonSchema',
    'metadata',
    'parallelToolCalls',
    'reasoningEffort',
    'thinking',
    'thinkingBlocks',
    'cacheControl',
    'strictTools',
    'images',
    'imageUrls',
    'imageDetail',
    'documents',
    'documentUrls',
    'logprobs',
    ...ANTHROPIC_ONLY,
  ),
  'openai-compatible': without(
    'thinking',
    'thinkingBlocks',
    'cacheControl',
    'imageDetail',
    'documentUrls',
    'logprobs',
    ...ANTHROPIC_ONLY,
  ),
  demo: without('logprobs'),
};

const mediaOf = (request: Pick<ChatRequest, 'messages'>): Exclude<UserPart, { type: 'text' }>[] =>
  request.messages.flatMap((m) =>
    m.role === 'user' && typeof m.content !== 'string'
      ? m.content.filter((p): p is Exclude<UserPart, { type: 'text' }> => p.type !== 'text')
      : [],
  );

/** The features a request uses, in REQUEST_FEATURES order. */
export function requestFeatures(request: Omit<ChatRequest, 'provider'>): RequestFeature[] {
  const used = new Set<RequestFeature>();
  const r = request;
  if (r.temperature !== undefined) used.add('temperature');
  if (r.topP !== undefined) used.add('topP');
  if (r.topK !== undefined) used.add('topK');
  if (r.stopSequences !== undefined && r.stopSequences.length > 0) used.add('stopSequences');
  if (r.seed !== undefined) used.add('seed');
  if (r.frequencyPenalty !== undefined) used.add('frequencyPenalty');
  if (r.presencePenalty !== undefined) used.add('presencePenalty');
  if (r.responseFormat?.type === 'json') used.add('jsonObject');
  if (r.responseFormat?.type === 'json-schema') used.add('jsonSchema');
  if (r.user !== undefined) used.add('user');
  if (r.metadata !== undefined) used.add('metadata');
  if (r.parallelToolCalls !== undefined) used.add('parallelToolCalls');
  if (r.reasoningEffort !== undefined) used.add('reasoningEffort');
  if (r.thinking !== undefined) used.add('thinking');
  if (r.messages.some((m) => m.role === 'assistant' && (m.reasoning?.length ?? 0) > 0))
    used.add('thinkingBlocks');
  if (r.cacheControl !== undefined || cacheBreakpoints(r).length > 0) used.add('cacheControl');
  if (r.toolChoice === 'required' || typeof r.toolChoice === 'object') used.add('forcedToolChoice');
  if (r.tools?.some((t) => t.strict !== undefined)) used.add('strictTools');
  if (r.n !== undefined && r.n > 1) used.add('multipleChoices');
  if (r.logprobs !== undefined) used.add('logprobs');
  if (r.anthropicBetas !== undefined && r.anthropicBetas.length > 0) used.add('anthropicBetas');
  if (r.effort !== undefined) used.add('effort');
  if (r.contextEdits !== undefined) used.add('contextEdits');
  for (const p of mediaOf(r)) {
    const url = p.source.type === 'url';
    used.add(p.type === 'image' ? (url ? 'imageUrls' : 'images') : url ? 'documentUrls' : 'documents');
    if (p.detail !== undefined) used.add('imageDetail');
  }
  return REQUEST_FEATURES.filter((f) => used.has(f));
}

const OPENAI_REASONING = /^(?:o\d+(?:-|$)|gpt-(?:[5-9]|\d{2,})(?![\d.]*-chat))/;

// Claude models the Anthropic SDK model treats apart (its getModelCapabilities), matched as it matches them.
const CLAUDE_NO_SAMPLING = /claude-(?:opus-4-[78]|opus-5|sonnet-5|haiku-5-5|fable-5)/;
const CLAUDE_NO_BUDGET_THINKING = /claude-(?:(?:sonnet|opus|haiku)-5-5|fable-5)/;
const CLAUDE_ALWAYS_THINKS = /claude-(?:(?:sonnet|opus)-5-5|fable-5)/;
const CLAUDE_NO_FORCED_TOOL = /claude-(?:(?:sonnet|opus)-5-5|fable-5-1)/;

/**
 * What the Anthropic SDK model drops or rewrites for a Claude request. While thinking it drops temperature
 * and top_p (1, the API's default, is the same as none) and top_k, and turns a forced tool choice into
 * `auto` under budget thinking; some models refuse sampling parameters, budget thinking, thinking off or a
 * forced tool outright, and the SDK model rewrites those too.
 */
function anthropicUncarried(request: Omit<ChatRequest, 'credentials'>, used: RequestFeature[]) {
  const model = request.model.toLowerCase();
  const thinking = request.thinking?.type;
  const thinkingOn = thinking !== undefined && thinking !== 'disabled';
  const refused = new Set<RequestFeature>();
  const sampling = thinkingOn || CLAUDE_NO_SAMPLING.test(model);
  if (sampling && request.temperature !== undefined && request.temperature !== 1) refused.add('temperature');
  if (sampling && request.topP !== undefined && request.topP !== 1) refused.add('topP');
  if (sampling && used.includes('topK')) refused.add('topK');
  if (!sampling && used.includes('topP') && used.includes('temperature')) refused.add('topP');
  if (thinking === 'enabled' && CLAUDE_NO_BUDGET_THINKING.test(model)) refused.add('thinking');
  if (thinking === 'disabled' && CLAUDE_ALWAYS_THINKS.test(model)) refused.add('thinking');
  if (used.includes('forcedToolChoice') && (thinking === 'enabled' || CLAUDE_NO_FORCED_TOOL.test(model)))
    refused.add('forcedToolChoice');
  return [...refused];
}

/**
 * Features the provider's SDK model drops for particular models (with a warning, after the request is
 * built), mirrored here so they are refused before the call instead:
 * - OpenAI reasoning models (o-series, gpt-5 and later but their chat variants) drop temperature, top_p,
 *   the penalties and logprobs unless reasoning is off (`reasoning_effort: none`, which only some accept).
 * - Anthropic drops top_p when temperature is also set, and more while thinking (anthropicUncarried).
 * - Gemini 2.5 on the developer API drops the frequency and presence penalties.
 * - DeepSeek drops temperature and top_p while thinking, which deepseek-reasoner always does.
 */
function modelUncarried(request: Omit<ChatRequest, 'credentials'>, used: RequestFeature[]): RequestFeature[] {
  const model = request.model.toLowerCase();
  switch (request.provider) {
    case 'openai':
      return OPENAI_REASONING.test(model) && request.reasoningEffort !== 'none'
        ? used.filter((f) =>
            ['temperature', 'topP', 'frequencyPenalty', 'presencePenalty', 'logprobs'].includes(f),
          )
        : [];
    case 'anthropic':
      return anthropicUncarried(request, used);
    case 'gemini':
      return /(^|\/)gemini-2\.5(?:[.-]|$)/.test(model)
        ? used.filter((f) => f === 'frequencyPenalty' || f === 'presencePenalty')
        : [];
    case 'deepseek':
      return model === 'deepseek-reasoner' ? used.filter((f) => f === 'temperature' || f === 'topP') : [];
    default:
      return [];
  }
}

/** The features of a request its provider (or model) cannot carry: the gateway refuses the call naming them. */
export function uncarriedFeatures(request: Omit<ChatRequest, 'credentials'>): RequestFeature[] {
  const carried = CARRIED[request.provider];
  const used = requestFeatures(request);
  const refused = new Set([...used.filter((f) => !carried.has(f)), ...modelUncarried(request, used)]);
  // Each of n choices is its own call: one seed would make them all the same answer.
  if (used.includes('multipleChoices') && used.includes('seed')) refused.add('seed');
  return REQUEST_FEATURES.filter((f) => refused.has(f));
}

/** The media parts of a request (images and documents), in order. */
export const requestMedia = mediaOf;
