import { ProviderError } from './errors.js';
import type { ChatDelta, ChatRequest, ChatResult, ChoiceResult, Usage } from './types.js';

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

type Pulled = { choice: number; next: IteratorResult<ChatDelta> };

/**
 * `n` streamed choices as `n` parallel streams of one choice each, interleaved as their pieces arrive: text
 * and tool-call pieces carry their choice, each choice's end is a `choice-finish`, and one `finish` with
 * the summed usage closes the call. Thinking is kept for choice 0 only (no wire with `n` returns it). A
 * failing stream ends the call and cancels the others; the error says the vendor may have billed them.
 */
export async function* streamChoices(
  request: ChatRequest,
  open: (single: ChatRequest) => AsyncGenerator<ChatDelta>,
): AsyncGenerator<ChatDelta> {
  const { n = 1, ...single } = request;
  const streams = Array.from({ length: n }, () => open(single));
  const pending = new Map<number, Promise<Pulled>>();
  const pull = (choice: number): void => {
    pending.set(
      choice,
      streams[choice]!.next().then((next) => ({ choice, next })),
    );
  };
  for (let choice = 0; choice < n; choice++) pull(choice);
  let usage: Usage | undefined;
  let attempts = 0;
  let first: Extract<ChatDelta, { type: 'finish' }> | undefined;
  try {
    while (pending.size > 0) {
      const { choice, next } = await Promise.race(pending.values());
      if (next.done) {
        pending.delete(choice);
        continue;
      }
      pull(choice);
      const d = next.value;
      if (d.type === 'text' || d.type === 'tool-call-delta') yield choice === 0 ? d : { ...d, choice };
      else if (d.type === 'finish') {
        usage = usage ? addUsage(usage, d.usage) : d.usage;
        attempts += d.attempts;
        if (choice === 0) first = d;
        yield {
          type: 'choice-finish',
          choice,
          finishReason: d.finishReason,
          ...(d.logprobs ? { logprobs: d.logprobs } : {}),
        };
      } else if (choice === 0 && d.type !== 'usage' && d.type !== 'choice-finish') yield d;
    }
  } catch (error) {
    if (error instanceof ProviderError) error.billed = true;
    throw error;
  } finally {
    await Promise.allSettled(streams.map((s) => s.return(undefined)));
  }
  if (!first || !usage) throw new Error('a choice stream ended without finishing');
  yield {
    type: 'finish',
    finishReason: first.finishReason,
    usage,
    attempts,
    removedSchemaKeywords: first.removedSchemaKeywords,
  };
}
