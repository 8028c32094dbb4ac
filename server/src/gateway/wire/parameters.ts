import type { GatewayRoute, RequestFeature } from '../commands.js';

/** What each wire format calls a request feature, so a refusal names the parameter the caller sent. */
const PARAMETER_NAMES: Record<'openai' | 'anthropic', Record<RequestFeature, string>> = {
  openai: {
    temperature: 'temperature',
    topP: 'top_p',
    topK: 'top_k',
    stopSequences: 'stop',
    seed: 'seed',
    frequencyPenalty: 'frequency_penalty',
    presencePenalty: 'presence_penalty',
    jsonObject: 'response_format (json_object)',
    jsonSchema: 'response_format (json_schema)',
    user: 'user',
    metadata: 'metadata',
    parallelToolCalls: 'parallel_tool_calls',
    reasoningEffort: 'reasoning_effort',
    thinking: 'thinking',
    thinkingBlocks: 'thinking blocks',
    cacheControl: 'cache_control',
    forcedToolChoice: 'tool_choice (required or a named function)',
    strictTools: 'tools[].function.strict',
    multipleChoices: 'n',
    logprobs: 'logprobs',
    anthropicBetas: 'anthropic-beta',
    effort: 'output_config.effort',
    contextEdits: 'context_management',
    images: 'image_url (data URL)',
    imageUrls: 'image_url (http URL)',
    imageDetail: 'image_url.detail',
    documents: 'file',
    documentUrls: 'file (URL)',
  },
  anthropic: {
    temperature: 'temperature',
    topP: 'top_p',
    topK: 'top_k',
    stopSequences: 'stop_sequences',
    seed: 'seed',
    frequencyPenalty: 'frequency_penalty',
    presencePenalty: 'presence_penalty',
    jsonObject: 'output_format (json)',
    jsonSchema: 'output_format (json_schema)',
    user: 'metadata.user_id',
    metadata: 'metadata',
    parallelToolCalls: 'tool_choice.disable_parallel_tool_use',
    reasoningEffort: 'reasoning_effort',
    thinking: 'thinking',
    thinkingBlocks: 'thinking / redacted_thinking blocks',
    cacheControl: 'cache_control',
    forcedToolChoice: 'tool_choice (any or tool)',
    strictTools: 'tools[].strict',
    multipleChoices: 'n',
    logprobs: 'logprobs',
    anthropicBetas: 'anthropic-beta',
    effort: 'output_config.effort',
    contextEdits: 'context_management',
    images: 'image (base64 source)',
    imageUrls: 'image (url source)',
    imageDetail: 'image detail',
    documents: 'document (base64 source)',
    documentUrls: 'document (url source)',
  },
};

/** Where the Responses wire names a feature otherwise than Chat Completions. */
const RESPONSES_NAMES: Partial<Record<RequestFeature, string>> = {
  logprobs: 'include (message.output_text.logprobs)',
  reasoningEffort: 'reasoning.effort',
  jsonObject: 'text.format (json_object)',
  jsonSchema: 'text.format (json_schema)',
  strictTools: 'tools[].strict',
};

/** The wire name of a feature on a route; routes without their own names use the OpenAI ones. */
export function parameterName(route: GatewayRoute, feature: RequestFeature): string {
  const responses = route === 'openai.responses' ? RESPONSES_NAMES[feature] : undefined;
  return responses ?? PARAMETER_NAMES[route === 'anthropic.messages' ? 'anthropic' : 'openai'][feature];
}
