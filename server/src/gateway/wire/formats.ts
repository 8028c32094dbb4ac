import type { WireFormat } from '../governed-route.js';
import { anthropicBetas } from './anthropic-extras.js';
import { type AnthropicMessagesBody, anthropicMessagesRequest, fromAnthropic } from './anthropic-request.js';
import { createAnthropicStreamer, toAnthropicMessage } from './anthropic-response.js';
import { fromOpenAi, type OpenAiChatBody, openAiChatBody } from './openai-request.js';
import { createOpenAiChunker, toOpenAiCompletion } from './openai-response.js';

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `POST /v1/chat/completions`: OpenAI Chat Completions, JSON or SSE ending in `data: [DONE]`. */
export const openAiChat: WireFormat<OpenAiChatBody> = {
  vendor: 'openai',
  route: 'openai.chat.completions',
  schema: openAiChatBody,
  toRequest: fromOpenAi,
  wantsStream: (body) => body.stream === true,
  render: ({ requestId, body, result }) =>
    toOpenAiCompletion({ requestId, model: body.model, result, created: nowSeconds() }),
  streamer: ({ requestId, body }) => {
    const chunker = createOpenAiChunker({
      requestId,
      model: body.model,
      created: nowSeconds(),
      includeUsage: body.stream_options?.include_usage === true,
      ...(body.n ? { n: body.n } : {}),
    });
    return {
      start: () => [data(chunker.start()), ...chunker.more().map(data)],
      delta: (d) => {
        const frames = chunker.delta(d).map(data);
        if (d.type === 'finish') frames.push('data: [DONE]\n\n');
        return frames;
      },
    };
  },
};

/** `POST /v1/messages`: Anthropic Messages, JSON or named SSE events. */
export const anthropicMessages: WireFormat<AnthropicMessagesBody> = {
  vendor: 'anthropic',
  route: 'anthropic.messages',
  schema: anthropicMessagesRequest,
  toRequest: (body, headers) => {
    const request = fromAnthropic(body);
    const { refused, ...betas } = anthropicBetas(headers['anthropic-beta']);
    const uncarried = [...(request.uncarried ?? []), ...refused];
    return { ...request, ...betas, ...(uncarried.length > 0 ? { uncarried } : {}) };
  },
  wantsStream: (body) => body.stream === true,
  render: ({ requestId, body, result }) => toAnthropicMessage({ requestId, model: body.model, result }),
  streamer: ({ requestId, body }) => {
    const streamer = createAnthropicStreamer({ requestId, model: body.model });
    const frame = (e: { event: string; data: unknown }) => `event: ${e.event}\n${data(e.data)}`;
    return { start: () => streamer.start().map(frame), delta: (d) => streamer.delta(d).map(frame) };
  },
};
