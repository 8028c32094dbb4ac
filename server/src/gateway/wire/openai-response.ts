import type { ChatDelta, ChatResult, FinishReason, TokenLogprob, Usage } from '../commands.js';

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
};

const usageOf = (u: Usage) => ({
  prompt_tokens: u.inputTokens,
  completion_tokens: u.outputTokens,
  total_tokens: u.inputTokens + u.outputTokens,
  // Counted inside prompt_tokens, as OpenAI reports them (its SDK types expect the details object).
  prompt_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
});

// The vendor's tokens of the masked answer: a DLP placeholder appears in them as the vendor wrote it.
const logprobsOf = (l: TokenLogprob[] | undefined) => (l ? { content: l, refusal: null } : null);

/** A finished call as a Chat Completions answer. `model` echoes what the caller asked for. */
export function toOpenAiCompletion(options: {
  requestId: string;
  model: string;
  result: ChatResult;
  created: number;
}) {
  const { requestId, model, result, created } = options;
  return {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion',
    created,
    model,
    choices: [result, ...(result.choices ?? [])].map((choice, index) => ({
      index,
      message: {
        role: 'assistant',
        content: choice.text.length > 0 || choice.toolCalls.length === 0 ? choice.text : null,
        refusal: null,
        ...(choice.toolCalls.length > 0
          ? {
              tool_calls: choice.toolCalls.map((c) => ({
                id: c.id,
                type: 'function',
                function: { name: c.name, arguments: c.arguments },
              })),
            }
          : {}),
      },
      logprobs: logprobsOf(choice.logprobs),
      finish_reason: FINISH[choice.finishReason],
    })),
    usage: usageOf(result.usage),
  };
}

/**
 * Turns normalised deltas into `chat.completion.chunk` objects, in order. With `n` > 1 every choice opens
 * with its role chunk, its pieces carry its index, and each ends at its own `choice-finish`.
 */
export function createOpenAiChunker(options: {
  requestId: string;
  model: string;
  created: number;
  includeUsage: boolean;
  n?: number;
}) {
  const base = {
    id: `chatcmpl-${options.requestId}`,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
  };
  const chunk = (
    delta: Record<string, unknown>,
    finish: string | null = null,
    logprobs: TokenLogprob[] | undefined = undefined,
    index = 0,
  ) => ({
    ...base,
    choices: [{ index, delta, logprobs: logprobsOf(logprobs), finish_reason: finish }],
  });
  let choicesEnded = false;
  return {
    start: () => chunk({ role: 'assistant', content: '' }),
    /** The role chunks of choices 1 to n−1, after choice 0's. */
    more: () =>
      Array.from({ length: Math.max(0, (options.n ?? 1) - 1) }, (_, i) =>
        chunk({ role: 'assistant', content: '' }, null, undefined, i + 1),
      ),
    delta(d: ChatDelta): Record<string, unknown>[] {
      if (d.type === 'text') return d.text ? [chunk({ content: d.text }, null, undefined, d.choice)] : [];
      if (d.type === 'tool-call-delta') {
        const call = d.name
          ? {
              index: d.index,
              id: d.id,
              type: 'function',
              function: { name: d.name, arguments: d.argumentsDelta },
            }
          : { index: d.index, function: { arguments: d.argumentsDelta } };
        return d.name || d.argumentsDelta ? [chunk({ tool_calls: [call] }, null, undefined, d.choice)] : [];
      }
      if (d.type === 'choice-finish') {
        choicesEnded = true;
        return [chunk({}, FINISH[d.finishReason], d.logprobs, d.choice)];
      }
      // Chat Completions has no field for thinking; the gateway keeps only Anthropic's, never asked for here.
      if (d.type !== 'finish') return [];
      // The SDK model gathers a stream's log probabilities to its end: they ride on the finish chunk.
      const out: Record<string, unknown>[] = choicesEnded
        ? []
        : [chunk({}, FINISH[d.finishReason], d.logprobs)];
      if (options.includeUsage) out.push({ ...base, choices: [], usage: usageOf(d.usage) });
      return out;
    },
  };
}
