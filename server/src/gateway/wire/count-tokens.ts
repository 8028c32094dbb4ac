import type { z } from 'zod';
import { anthropicMessagesBody, fromAnthropic } from './anthropic-request.js';

/** The count_tokens body: a Messages body without `max_tokens` (nothing is generated) or `stream`. */
export const countTokensBody = anthropicMessagesBody.omit({ max_tokens: true, stream: true });
export type CountTokensBody = z.infer<typeof countTokensBody>;

/** count_tokens body → the gateway's request, read by the policy gate like the Messages call it precedes. */
export function fromCountTokens(body: CountTokensBody) {
  const { maxTokens: _none, ...request } = fromAnthropic({ ...body, max_tokens: 1 });
  return request;
}
