import type { WireFormat } from '../governed-route.js';
import { fromResponses, type ResponsesBody, responsesBody } from './responses-request.js';
import { createResponsesStreamer, toResponse } from './responses-response.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `POST /v1/responses`: OpenAI Responses, JSON or named SSE events, on the governed chat path. */
export const openAiResponses: WireFormat<ResponsesBody> = {
  vendor: 'openai',
  route: 'openai.responses',
  schema: responsesBody,
  toRequest: fromResponses,
  wantsStream: (body) => body.stream === true,
  render: ({ requestId, body, result }) => toResponse({ requestId, body, result, createdAt: nowSeconds() }),
  streamer: ({ requestId, body }) => createResponsesStreamer({ requestId, body, createdAt: nowSeconds() }),
};
