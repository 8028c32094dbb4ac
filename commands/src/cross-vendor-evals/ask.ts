import { type Actor, newId } from '@proofpane/core';
import { type Gateway, type GatewayCaller, GatewayRefusal } from '../gateway/index.js';
import { CARRIED } from '../providers/capabilities.js';
import type { ChatMessage, ProviderId } from '../providers/index.js';
import { SkillRunError } from '../skills/errors.js';
import type { RunSkillRequest, SkillRunResult } from '../skills/run-skill.js';
import { type ReadAnswer, readAnswer } from './compare.js';
import { type CrossVendorCase, isSkillCase, type SuiteModelRef } from './suite.js';

/** What asking a provider needs: the governed gateway, and the skill runner for skill cases. */
export interface AskDeps {
  gateway: Pick<Gateway, 'complete'>;
  runSkill(request: RunSkillRequest): Promise<SkillRunResult>;
  now?: () => number;
}

/** One provider's answer to one case, or why it has none. */
export interface ProviderAnswer {
  status: 'answered' | 'failed';
  /** The answer as text (a skill's output as JSON); null when the call failed. */
  text: string | null;
  read: ReadAnswer;
  error: string | null;
  costMicros: number;
  latencyMs: number;
  skillRunId: string | null;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const failed = (error: string): ReadAnswer => ({
  value: undefined,
  valid: false,
  problems: [clip(error, 300)],
});

// Anything but a refusal is kept out of the record by its message, which may name hosts or keys.
const UNEXPECTED = 'provider_error: the call failed unexpectedly';
const unexpected = (latencyMs: number): ProviderAnswer => ({
  status: 'failed',
  text: null,
  read: failed(UNEXPECTED),
  error: UNEXPECTED,
  costMicros: 0,
  latencyMs,
  skillRunId: null,
});

/**
 * Asks one provider one case through the governed call (policy, DLP, budget, audit, cost) under the
 * provider's run id: the case's messages, with its output schema as the response format when it has
 * one, or the case's skill run as a child of the provider's run. A refusal or a provider error is an
 * answer of status `failed`, never a thrown error, so one vendor going down does not stop the run.
 */
export async function askProvider(
  deps: AskDeps,
  options: {
    org: string;
    actor: Actor;
    caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
    evalCase: CrossVendorCase;
    ref: SuiteModelRef;
    runId: string;
    signal?: AbortSignal;
  },
): Promise<ProviderAnswer> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const { evalCase: c, ref } = options;
  const elapsed = () => Math.max(0, Math.round(now() - started));
  if (isSkillCase(c)) {
    const skillRunId = newId('run');
    try {
      const result = await deps.runSkill({
        org: options.org,
        actor: options.actor,
        ...(options.caller ? { caller: options.caller } : {}),
        skillId: c.input.skill,
        input: c.input.input,
        provider: ref.provider as ProviderId,
        model: ref.model,
        parentRunId: options.runId,
        runId: skillRunId,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const text = JSON.stringify(result.output);
      return {
        status: 'answered',
        text,
        read: readAnswer(c, result.output),
        error: null,
        costMicros: result.costMicros,
        latencyMs: elapsed(),
        skillRunId,
      };
    } catch (error) {
      if (!(error instanceof SkillRunError)) return unexpected(elapsed());
      // An answer that failed the skill's own schema is an answer: critical by schema, not a failure.
      if (error.code === 'skill_output_invalid') {
        const problems = (error.context.problems ?? []).map((p) => `${p.path || '(root)'}: ${p.message}`);
        return {
          status: 'answered',
          text: null,
          read: {
            value: undefined,
            valid: false,
            problems: problems.length ? problems : ['(root): invalid'],
          },
          error: null,
          costMicros: 0,
          latencyMs: elapsed(),
          skillRunId,
        };
      }
      const message = `${error.code}: ${error.message}`;
      return {
        status: 'failed',
        text: null,
        read: failed(message),
        error: clip(message, 500),
        costMicros: 0,
        latencyMs: elapsed(),
        skillRunId: error.context.runId ? skillRunId : null,
      };
    }
  }
  const messages = c.input as ChatMessage[];
  try {
    const answered = await deps.gateway.complete({
      requestId: newId('req'),
      route: 'cross-vendor',
      caller: { org: options.org, actor: options.actor, ...options.caller },
      stream: false,
      request: {
        provider: ref.provider as ProviderId,
        model: ref.model,
        messages,
        // A provider that cannot carry a JSON Schema is asked without one; its answer is still checked.
        ...(c.outputSchema !== undefined && CARRIED[ref.provider as ProviderId]?.has('jsonSchema')
          ? {
              responseFormat: {
                type: 'json-schema' as const,
                schema: c.outputSchema as Record<string, unknown>,
                name: 'cross_vendor_answer',
              },
            }
          : {}),
      },
      run: { id: options.runId },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = answered.result.text;
    return {
      status: 'answered',
      text,
      read: readAnswer(c, text),
      error: null,
      costMicros: answered.costMicros,
      latencyMs: elapsed(),
      skillRunId: null,
    };
  } catch (error) {
    if (!(error instanceof GatewayRefusal)) return unexpected(elapsed());
    const message = `${error.code}: ${error.message}`;
    return {
      status: 'failed',
      text: null,
      read: failed(message),
      error: clip(message, 500),
      costMicros: 0,
      latencyMs: elapsed(),
      skillRunId: null,
    };
  }
}
