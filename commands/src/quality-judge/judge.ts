import { type Actor, type EventData, type EventStore, newId } from '@proofpane/core';
import { type Gateway, type GatewayCaller, GatewayRefusal, type GatewayRoute } from '../gateway/index.js';
import { handleCommand } from '../kit/decider.js';
import { CARRIED } from '../providers/capabilities.js';
import type { ChatMessage, ProviderId } from '../providers/index.js';
import { runDecider } from '../runs/decider.js';
import { parseAnswer } from '../skills/prompt.js';
import { maskedJudgeText } from './masked.js';
import { JUDGE_JSON_SCHEMA, JUDGE_SYSTEM, type JudgeVerdict, judgeVerdictSchema, scoreOf } from './rubric.js';

export type JudgeOutcome = EventData<'cp.quality.l4.judged'>['judges'][number];

/** A judge model: the org's `l4.judge` or `l4.secondJudge`. */
export interface JudgeRef {
  provider: string;
  model: string;
}

export interface JudgeDeps {
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  /** The budget line the judge's calls are charged to; `quality-judge` unless a caller judges for another. */
  route?: Extract<GatewayRoute, 'quality-judge' | 'evolution'>;
}

/** The problems zod finds in an answer, as the repair turn names them (paths, never values). */
function problemsOf(text: string): { verdict: JudgeVerdict } | { problems: string[] } {
  const parsed = parseAnswer(text);
  if (!parsed.ok) return { problems: ['(root): is not a JSON document'] };
  const checked = judgeVerdictSchema.safeParse(parsed.value);
  if (checked.success) return { verdict: checked.data };
  return {
    problems: checked.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

const withMaskedText = (verdict: JudgeVerdict) => ({
  rubric: {
    correctness: {
      ...verdict.correctness,
      justification: maskedJudgeText(verdict.correctness.justification),
    },
    completeness: {
      ...verdict.completeness,
      justification: maskedJudgeText(verdict.completeness.justification),
    },
    grounding: { ...verdict.grounding, justification: maskedJudgeText(verdict.grounding.justification) },
    policyAdherence: {
      ...verdict.policyAdherence,
      justification: maskedJudgeText(verdict.policyAdherence.justification),
    },
  },
  unsupportedClaims: verdict.unsupportedClaims.map((claim) => maskedJudgeText(claim)),
});

/**
 * One judge's verdict on one output. The judge is a run of its own (`run/<id>`, kind `quality-judge`,
 * nested under the judged run when there is one) and each of its calls is a governed call: policy, DLP,
 * budget and audit apply as to any other. A verdict that fails the rubric's schema is sent back once with
 * its problems; a second malformed one, or a refused call, is a judge failure, never a thrown error.
 * Justifications and claims are DLP-masked before they are returned for recording.
 */
export async function runJudge(
  deps: JudgeDeps,
  options: {
    org: string;
    actor: Actor;
    caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
    judge: JudgeRef;
    /** The judge's user message (`judgeMessage`). */
    message: string;
    parentRunId?: string | undefined;
  },
): Promise<{ outcome: JudgeOutcome; verdict: JudgeVerdict | null }> {
  const { org, actor, judge } = options;
  const runId = newId('run');
  const subject = `run/${runId}`;
  const run = (command: Parameters<typeof runDecider.decide>[0], parent = false) =>
    handleCommand({
      store: deps.store,
      org,
      subject,
      decider: runDecider,
      command,
      actor,
      meta: parent && options.parentRunId ? { runId, parentRunId: options.parentRunId } : { runId },
    });
  await run({ type: 'start', kind: 'quality-judge', name: `judge ${judge.provider}/${judge.model}` }, true);

  const provider = judge.provider as ProviderId;
  const schemaCarried = CARRIED[provider]?.has('jsonSchema') ?? false;
  let messages: ChatMessage[] = [{ role: 'user', content: options.message }];
  let costMicros = 0;
  let calls = 0;
  const failed = async (error: string) => {
    await run({ type: 'complete', status: 'failed', error });
    return {
      outcome: {
        ...judge,
        runId,
        status: 'failed' as const,
        calls,
        rubric: null,
        unsupportedClaims: [],
        score: null,
        error,
        costMicros,
      },
      verdict: null,
    };
  };
  for (;;) {
    calls++;
    let text: string;
    try {
      const answered = await deps.gateway.complete({
        requestId: newId('req'),
        route: deps.route ?? 'quality-judge',
        caller: { org, actor, ...options.caller },
        stream: false,
        request: {
          provider,
          model: judge.model,
          system: JUDGE_SYSTEM,
          messages,
          temperature: 0,
          // A vendor without JSON Schema is asked by the prompt alone; its answer is validated all the same.
          ...(schemaCarried
            ? {
                responseFormat: {
                  type: 'json-schema' as const,
                  schema: JUDGE_JSON_SCHEMA as unknown as Record<string, unknown>,
                  name: 'judge_verdict',
                },
              }
            : {}),
        },
        run: { id: runId },
      });
      text = answered.result.text;
      costMicros += answered.costMicros;
    } catch (error) {
      // A refusal's code and message are the catalogue's; anything else may name hosts or keys.
      return failed(
        error instanceof GatewayRefusal
          ? `${error.code}: ${error.message}`.slice(0, 300)
          : 'provider_error: the judge call failed unexpectedly',
      );
    }
    const read = problemsOf(text);
    if ('verdict' in read) {
      await run({ type: 'complete', status: 'succeeded' });
      return {
        outcome: {
          ...judge,
          runId,
          status: 'judged',
          calls,
          ...withMaskedText(read.verdict),
          score: scoreOf(read.verdict),
          error: null,
          costMicros,
        },
        verdict: read.verdict,
      };
    }
    if (calls >= 2) return failed(`malformed_verdict: ${read.problems.join('; ')}`.slice(0, 300));
    messages = [
      ...messages,
      { role: 'assistant', content: text.slice(0, 20_000) },
      {
        role: 'user',
        content: [
          'That verdict does not match the schema:',
          ...read.problems.map((p) => `- ${p}`),
          'Answer again with the whole corrected JSON object, and nothing else.',
        ].join('\n'),
      },
    ];
  }
}
