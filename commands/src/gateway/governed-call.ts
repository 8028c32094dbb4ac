import { createStreamRestorer, restore } from '../dlp/index.js';
import {
  type AttemptReport,
  type ChatDelta,
  type ChatRequest,
  type ChatResult,
  type ChoiceResult,
  ProviderError,
  type ToolCall,
} from '../providers/index.js';
import { auditOutcome, type CallOutcome } from './audit.js';
import { governedCountTokens } from './count-tokens.js';
import type { GatewayDeps } from './deps.js';
import { type GovernedEmbedding, governedEmbed } from './embeddings.js';
import { GatewayRefusal } from './errors.js';
import { type PreparedCall, passGates } from './gates.js';
import { createRecentCosts } from './recent-costs.js';
import { createRunScope } from './run-scope.js';
import { createThinkingRestorer, isReasoningDelta, restoredReasoning } from './thinking.js';
import type { GateTimings, GatewayCall } from './types.js';

/** A finished non-streaming call: the answer with DLP placeholders restored. */
export interface GovernedResult {
  result: ChatResult;
  timings: GateTimings;
  /** What the call was charged (its settlement). */
  costMicros: number;
  /** The messages as the provider received them, DLP-masked by the org's policy (placeholders kept). */
  sentMessages?: ChatRequest['messages'];
}

/** A streaming call that passed its gates; `deltas` are restored and the stream audits itself at the end. */
export interface GovernedStream {
  deltas: AsyncGenerator<ChatDelta>;
  timings: GateTimings;
}

/**
 * The governed call as a process: gates (policy + DLP, budget), the provider call on the masked request,
 * restoring the answer for the caller, then audit and cost. Failures become GatewayRefusal after they are
 * audited; the reservation is always settled.
 */
export interface Gateway {
  complete(call: GatewayCall): Promise<GovernedResult>;
  /** Resolves once the gates passed; provider failures before the first delta reject here too. */
  stream(call: GatewayCall): Promise<GovernedStream>;
  /** An embeddings call (each input a user message, max tokens 0): the same gates, audit and cost. */
  embed(call: GatewayCall, options?: { dimensions?: number }): Promise<GovernedEmbedding>;
  /** Counts a request's input tokens after the policy gate; no provider, no budget. */
  countTokens(call: GatewayCall): Promise<{ inputTokens: number; timings: GateTimings }>;
}

function providerFailure(error: unknown, prepared: PreparedCall): CallOutcome & { ok: false } {
  if (error instanceof ProviderError)
    return {
      ok: false,
      code: 'provider_error',
      message: error.message,
      attempts: error.attempts,
      // Another of the call's choices was answered, and billed: the reservation stays spent.
      chargeMicros: error.billed ? prepared.plan.reservation.amountMicros : 0,
    };
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    code: 'provider_error',
    message: `${prepared.call.request.provider} call failed: ${message}`,
    attempts: 1,
    chargeMicros: 0,
  };
}

export function createGateway(deps: GatewayDeps): Gateway {
  const recentCosts = createRecentCosts({ ledger: deps.ledger });
  const runStore = createRunScope({ store: deps.store });
  /** The call's gates and audit append through its run's store when it joined one. */
  const depsFor = async (call: GatewayCall): Promise<GatewayDeps> =>
    call.run ? { ...deps, store: await runStore({ ...call, run: call.run }) } : deps;

  const audit = async (prepared: PreparedCall, outcome: CallOutcome, attempts: AttemptReport[]) => {
    const started = performance.now();
    const settled = await auditOutcome({ deps: prepared.deps, prepared, outcome, attempts, recentCosts });
    prepared.timings.audit = performance.now() - started;
    return settled;
  };

  const fail = async (
    prepared: PreparedCall,
    outcome: CallOutcome & { ok: false },
    attempts: AttemptReport[],
  ) => {
    await audit(prepared, outcome, attempts);
    return new GatewayRefusal('provider_error', outcome.message, prepared.call.requestId);
  };

  return {
    async complete(call) {
      const prepared = await passGates({ deps: await depsFor(call), call });
      const attempts: AttemptReport[] = [];
      const started = performance.now();
      let result: ChatResult;
      try {
        result = await deps.registry.complete(prepared.plan.outbound, {
          onAttempt: (a) => attempts.push(a),
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } catch (error) {
        prepared.timings.provider = performance.now() - started;
        throw await fail(prepared, providerFailure(error, prepared), attempts);
      }
      prepared.timings.provider = performance.now() - started;
      const { costMicros } = await audit(prepared, { ok: true, ...result }, attempts);
      const { vault } = prepared.plan;
      return {
        result: {
          ...result,
          text: restore({ text: result.text, vault }),
          toolCalls: result.toolCalls.map((c) => ({
            ...c,
            arguments: restore({ text: c.arguments, vault }),
          })),
          ...(result.reasoning ? { reasoning: restoredReasoning(result.reasoning, vault) } : {}),
          ...(result.choices
            ? {
                choices: result.choices.map((c) => ({
                  ...c,
                  text: restore({ text: c.text, vault }),
                  toolCalls: c.toolCalls.map((t) => ({
                    ...t,
                    arguments: restore({ text: t.arguments, vault }),
                  })),
                })),
              }
            : {}),
        },
        timings: prepared.timings,
        costMicros,
        sentMessages: prepared.plan.outbound.messages,
      };
    },

    async stream(call) {
      const prepared = await passGates({ deps: await depsFor(call), call });
      const attempts: AttemptReport[] = [];
      const started = performance.now();
      const upstream = deps.registry.stream(prepared.plan.outbound, { onAttempt: (a) => attempts.push(a) });
      let first: IteratorResult<ChatDelta>;
      try {
        first = await upstream.next();
      } catch (error) {
        prepared.timings.provider = performance.now() - started;
        throw await fail(prepared, providerFailure(error, prepared), attempts);
      }
      return {
        deltas: restoredStream({ prepared, upstream, first, attempts, audit, started }),
        timings: prepared.timings,
      };
    },

    async embed(call, options) {
      return governedEmbed({ deps: await depsFor(call), call, dimensions: options?.dimensions, recentCosts });
    },

    async countTokens(call) {
      return governedCountTokens({ deps: await depsFor(call), call });
    },
  };
}

interface ChoiceState {
  text: ReturnType<typeof createStreamRestorer>;
  args: Map<number, ReturnType<typeof createStreamRestorer>>;
  rawText: string;
  rawCalls: ToolCall[];
}

/** What a choice's restorers still hold back (a possible placeholder prefix), once the choice ended. */
function* flushChoice(state: ChoiceState, choice: number): Generator<ChatDelta> {
  const tag = choice > 0 ? { choice } : {};
  const rest = state.text.flush();
  if (rest) yield { type: 'text', text: rest, ...tag };
  for (const [index, restorer] of state.args) {
    const tail = restorer.flush();
    if (tail)
      yield { type: 'tool-call-delta', index, id: state.rawCalls[index]!.id, argumentsDelta: tail, ...tag };
  }
  // Flushed once: a later flush (the call's finish after choice 0's own end) yields nothing more.
  state.args.clear();
}

async function* restoredStream(options: {
  prepared: PreparedCall;
  upstream: AsyncGenerator<ChatDelta>;
  first: IteratorResult<ChatDelta>;
  attempts: AttemptReport[];
  audit: (prepared: PreparedCall, outcome: CallOutcome, attempts: AttemptReport[]) => Promise<unknown>;
  started: number;
}): AsyncGenerator<ChatDelta> {
  const { prepared, upstream, attempts, audit } = options;
  const { vault } = prepared.plan;
  const thinking = createThinkingRestorer(vault);
  // Per choice (0 unless the call asked for several): its restorers and raw output, for the audit.
  const choices = new Map<number, ChoiceState>();
  const stateOf = (choice: number) => {
    let state = choices.get(choice);
    if (!state) {
      state = { text: createStreamRestorer({ vault }), args: new Map(), rawText: '', rawCalls: [] };
      choices.set(choice, state);
    }
    return state;
  };
  stateOf(0);
  const finished: ChoiceResult[] = [];
  let audited = false;
  try {
    for (let next = options.first; !next.done; next = await upstream.next()) {
      const d = next.value;
      if (isReasoningDelta(d)) {
        yield* thinking.push(d);
        continue;
      }
      yield* thinking.close();
      if (d.type === 'usage') yield d;
      else if (d.type === 'text') {
        const state = stateOf(d.choice ?? 0);
        state.rawText += d.text;
        const out = state.text.push(d.text);
        if (out) yield { ...d, text: out };
      } else if (d.type === 'tool-call-delta') {
        const state = stateOf(d.choice ?? 0);
        let call = state.rawCalls[d.index];
        if (!call) {
          call = { id: d.id, name: d.name ?? '', arguments: '' };
          state.rawCalls[d.index] = call;
          state.args.set(d.index, createStreamRestorer({ vault }));
        }
        if (d.name) call.name = d.name;
        call.arguments += d.argumentsDelta;
        yield { ...d, argumentsDelta: state.args.get(d.index)!.push(d.argumentsDelta) };
      } else if (d.type === 'choice-finish') {
        const state = stateOf(d.choice);
        yield* flushChoice(state, d.choice);
        if (d.choice > 0)
          finished[d.choice - 1] = {
            text: state.rawText,
            toolCalls: state.rawCalls.filter(Boolean),
            finishReason: d.finishReason,
          };
        yield d;
      } else if (d.type === 'finish') {
        const state = stateOf(0);
        const rawText = state.rawText;
        const rawCalls = state.rawCalls;
        yield* flushChoice(state, 0);
        const more = finished.filter(Boolean);
        prepared.timings.provider = performance.now() - options.started;
        audited = true;
        await audit(
          prepared,
          {
            ok: true,
            text: rawText,
            toolCalls: rawCalls.filter(Boolean),
            ...(thinking.parts().length > 0 ? { reasoning: thinking.parts() } : {}),
            ...(more.length > 0 ? { choices: more } : {}),
            finishReason: d.finishReason,
            usage: d.usage,
            attempts: d.attempts,
            removedSchemaKeywords: d.removedSchemaKeywords,
          },
          attempts,
        );
        yield d;
      }
    }
  } catch (error) {
    if (audited) throw error;
    audited = true;
    const outcome = providerFailure(error, prepared);
    // Text already reached the caller: the vendor bills for it, so the whole reservation is kept.
    await audit(prepared, { ...outcome, chargeMicros: prepared.plan.reservation.amountMicros }, attempts);
    throw new GatewayRefusal('provider_error', outcome.message, prepared.call.requestId);
  } finally {
    if (!audited) {
      await upstream.return(undefined);
      await audit(
        prepared,
        {
          ok: false,
          code: 'client_closed',
          message: 'the caller closed the stream before it ended',
          attempts: Math.max(1, attempts.length),
          chargeMicros: prepared.plan.reservation.amountMicros,
        },
        attempts,
      );
    }
  }
}
