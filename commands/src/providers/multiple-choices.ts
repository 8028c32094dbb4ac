import { ProviderError } from './errors.js';
import type { ChatRequest, ChatResult, ChoiceResult, Usage } from './types.js';

const sum = (a: number | undefined, b: number | undefined) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

function addUsage(a: Usage, b: Usage): Usage {
  const read = sum(a.cacheReadTokens, b.cacheReadTokens);
  const write = sum(a.cacheWriteTokens, b.cacheWriteTokens);
  const hour = sum(a.cacheWrite1hTokens, b.cacheWrite1hTokens);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(read !== undefined ? { cacheReadTokens: read } : {}),
    ...(write !== undefined ? { cacheWriteTokens: write } : {}),
    ...(hour !== undefined ? { cacheWrite1hTokens: hour } : {}),
  };
}

const choiceOf = (r: ChatResult): ChoiceResult => ({
  text: r.text,
  toolCalls: r.toolCalls,
  finishReason: r.finishReason,
  ...(r.logprobs ? { logprobs: r.logprobs } : {}),
});

/**
 * `n` choices as `n` parallel calls of one choice each: no AI SDK model reads more than the first choice
 * of a vendor's answer, so the vendor's own `n` has no carrier. The usage is the sum of the calls (each
 * bills its input, unlike a vendor's native `n`), and the first call's answer is choice 0. When any call
 * fails the whole call fails; if another was answered, the error says so (`billed`), because the vendor
 * charged for it.
 */
export async function completeChoices(
  request: ChatRequest,
  once: (single: ChatRequest) => Promise<ChatResult>,
): Promise<ChatResult> {
  const { n = 1, ...single } = request;
  const settled = await Promise.allSettled(Array.from({ length: n }, () => once(single)));
  const answered = settled.filter((s): s is PromiseFulfilledResult<ChatResult> => s.status === 'fulfilled');
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    const error = failed.reason;
    if (error instanceof ProviderError && answered.length > 0) error.billed = true;
    throw error;
  }
  const [first, ...rest] = answered.map((s) => s.value);
  return {
    ...first!,
    usage: rest.reduce((u, r) => addUsage(u, r.usage), first!.usage),
    attempts: answered.reduce((a, s) => a + s.value.attempts, 0),
    choices: rest.map(choiceOf),
  };
}
