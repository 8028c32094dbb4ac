import type { LanguageModelV3, LanguageModelV3Usage, SharedV3ProviderMetadata } from '@ai-sdk/provider';
import { appliedEditsOf } from './applied-edits.js';
import { toFinishReason } from './convert.js';
import { ProviderError } from './errors.js';
import { logprobsOf } from './logprobs.js';
import { generateOnce, normalisedArguments, streamOnce } from './model-call.js';
import { anthropicReasoningMetadata } from './reasoning.js';
import { backoffMs, classifyError, type RetryPolicy, sleep } from './retry.js';
import type { ChatDelta, ChatRequest, ChatResult, OnAttempt } from './types.js';
import { anthropicStartUsage, usageOf } from './vendor-usage.js';

export interface CallContext {
  model: LanguageModelV3;
  retry: RetryPolicy;
  onAttempt?: OnAttempt;
  signal?: AbortSignal;
}

function attemptSignal(ctx: CallContext): AbortSignal {
  const timeout = AbortSignal.timeout(ctx.retry.timeoutMs);
  return ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
}

/**
 * Runs `once` until it succeeds, a failure is final, or attempts run out; reports each attempt.
 * `once` must throw the upstream error untouched so it can be classified.
 */
async function withRetries<T>(
  request: ChatRequest,
  ctx: CallContext,
  once: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const value = await once(attempt);
      ctx.onAttempt?.({
        provider: request.provider,
        model: request.model,
        attempt,
        ok: true,
        willRetry: false,
        durationMs: performance.now() - started,
      });
      return value;
    } catch (error) {
      const info = classifyError(error);
      const willRetry = info.retryable && attempt < ctx.retry.maxAttempts && !ctx.signal?.aborted;
      const delayMs = willRetry
        ? backoffMs({
            policy: ctx.retry,
            attempt,
            ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: info.retryAfterMs }),
          })
        : undefined;
      ctx.onAttempt?.({
        provider: request.provider,
        model: request.model,
        attempt,
        ok: false,
        ...(info.status === undefined ? {} : { status: info.status }),
        errorKind: info.kind,
        willRetry,
        ...(delayMs === undefined ? {} : { delayMs }),
        durationMs: performance.now() - started,
      });
      if (!willRetry)
        throw new ProviderError(request.provider, attempt, info.status, info.kind, { cause: error });
      await sleep(delayMs!);
    }
  }
}

/** One non-streaming call through the provider model, with retries. */
export async function sdkComplete(request: ChatRequest, ctx: CallContext): Promise<ChatResult> {
  let attempts = 0;
  const result = await withRetries(request, ctx, (attempt) => {
    attempts = attempt;
    return generateOnce({ model: ctx.model, request, abortSignal: attemptSignal(ctx) });
  });
  return { ...result, attempts };
}

type Part = { type: string; [key: string]: unknown };

/** Stream parts that are content: a stream that reached one has answered, and is no longer retried. */
const FIRST_CONTENT = [
  'text-delta',
  'reasoning-start',
  'reasoning-delta',
  'tool-input-start',
  'tool-call',
  'finish',
];

/**
 * A streaming call. Retries happen only before the first delta is emitted: once text has reached the
 * caller a retry would duplicate it, so later failures end the stream with a ProviderError.
 */
export async function* sdkStream(request: ChatRequest, ctx: CallContext): AsyncGenerator<ChatDelta> {
  let attempts = 0;
  let removed: string[] = [];
  const opened = await withRetries(request, ctx, async (attempt) => {
    attempts = attempt;
    const { stream, removedSchemaKeywords } = await streamOnce({
      model: ctx.model,
      request,
      abortSignal: attemptSignal(ctx),
    });
    removed = removedSchemaKeywords;
    const iterator = (stream as AsyncIterable<Part>)[Symbol.asyncIterator]();
    const buffered: Part[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (next.value.type === 'error') throw next.value.error;
      buffered.push(next.value);
      if (FIRST_CONTENT.includes(next.value.type)) break;
    }
    return { iterator, buffered };
  });

  const indexById = new Map<string, number>();
  const streamedArgs = new Set<string>();
  const indexOf = (id: string) => {
    let index = indexById.get(id);
    if (index === undefined) {
      index = indexById.size;
      indexById.set(id, index);
    }
    return index;
  };
  async function* parts(): AsyncGenerator<Part> {
    yield* opened.buffered;
    for (;;) {
      const next = await opened.iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  // Only Anthropic's thinking is kept (its blocks are signed; see reasoningOf).
  const keepsReasoning = request.provider === 'anthropic';
  for await (const part of parts()) {
    switch (part.type) {
      case 'raw': {
        const usage = anthropicStartUsage(part.rawValue);
        if (usage) yield { type: 'usage', usage };
        break;
      }
      case 'reasoning-start': {
        const { redactedData } = anthropicReasoningMetadata(
          part.providerMetadata as SharedV3ProviderMetadata,
        );
        if (keepsReasoning && redactedData !== undefined)
          yield { type: 'reasoning-redacted', id: part.id as string, data: redactedData };
        break;
      }
      case 'reasoning-delta': {
        if (!keepsReasoning) break;
        const id = part.id as string;
        if (part.delta) yield { type: 'reasoning', id, text: part.delta as string };
        const { signature } = anthropicReasoningMetadata(part.providerMetadata as SharedV3ProviderMetadata);
        if (signature !== undefined) yield { type: 'reasoning-signature', id, signature };
        break;
      }
      case 'text-delta':
        if (part.delta) yield { type: 'text', text: part.delta as string };
        break;
      case 'tool-input-start': {
        const id = part.id as string;
        yield {
          type: 'tool-call-delta',
          index: indexOf(id),
          id,
          name: part.toolName as string,
          argumentsDelta: '',
        };
        break;
      }
      case 'tool-input-delta': {
        const id = part.id as string;
        streamedArgs.add(id);
        yield { type: 'tool-call-delta', index: indexOf(id), id, argumentsDelta: part.delta as string };
        break;
      }
      case 'tool-call': {
        // Vendors that send whole calls (or none of the fragments) still produce one complete delta.
        const call = {
          id: part.toolCallId as string,
          name: part.toolName as string,
          arguments: normalisedArguments(part.input as string),
        };
        if (!indexById.has(call.id)) {
          yield {
            type: 'tool-call-delta',
            index: indexOf(call.id),
            id: call.id,
            name: call.name,
            argumentsDelta: call.arguments,
          };
        } else if (!streamedArgs.has(call.id)) {
          yield {
            type: 'tool-call-delta',
            index: indexOf(call.id),
            id: call.id,
            argumentsDelta: call.arguments,
          };
        }
        break;
      }
      case 'error': {
        const info = classifyError(part.error);
        throw new ProviderError(request.provider, attempts, info.status, info.kind, { cause: part.error });
      }
      case 'finish': {
        const logprobs = request.logprobs
          ? logprobsOf(part.providerMetadata as SharedV3ProviderMetadata | undefined)
          : undefined;
        const appliedEdits = request.contextEdits
          ? appliedEditsOf(part.providerMetadata as SharedV3ProviderMetadata | undefined)
          : undefined;
        yield {
          type: 'finish',
          finishReason: toFinishReason((part.finishReason as { unified: string }).unified),
          usage: usageOf(part.usage as LanguageModelV3Usage),
          attempts,
          removedSchemaKeywords: removed,
          ...(logprobs ? { logprobs } : {}),
          ...(appliedEdits ? { appliedEdits } : {}),
        };
        break;
      }
      default:
        break;
    }
  }
}
