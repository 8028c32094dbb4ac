import {
  type Actor,
  type EventStore,
  CROSS_VENDOR_LIMITS as LIMITS,
  newId,
  sha256Hex,
} from '@proofpane/core';
import { mask } from '../dlp/mask.js';
import { scan } from '../dlp/scan.js';
import type { GatewayCaller } from '../gateway/index.js';
import {
  type Equivalence,
  type EquivalenceInput,
  judgeEquivalence,
} from '../multi-agent/equivalence-judge.js';
import type { GovernedCall } from '../multi-agent/model-call.js';
import type { ProviderId } from '../providers/index.js';
import { type AskDeps, askProvider, type ProviderAnswer } from './ask.js';
import { comparableText, decisionDiffs, fieldValues } from './compare.js';
import type { CrossVendorRunCommand } from './run-decide.js';
import { type CrossVendorRunLog, crossVendorRunLog } from './run-log.js';
import {
  type CrossVendorCase,
  type CrossVendorSuite,
  judgeRunId,
  modelLabel,
  providerRunId,
} from './suite.js';

export interface CrossVendorRunDeps extends AskDeps {
  store: EventStore;
  /** The semantic equivalence judge; the multi-agent one by default. */
  judgeEquivalence?: (input: EquivalenceInput) => Promise<Equivalence>;
}

export interface CrossVendorRunSummary {
  runId: string;
  status: 'succeeded' | 'failed';
  critical: number;
  warning: number;
  info: number;
  costMicros: number;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);
/** What an event may hold of a model's words: DLP-masked, then clipped. */
const masked = (text: string, max: number) => clip(mask({ text, findings: scan(text) }).text, max);
const shown = (value: unknown) =>
  value === undefined ? null : masked(JSON.stringify(value), LIMITS.valueChars);

/** The question both answers address, for the judge to read them in context. */
function questionOf(c: CrossVendorCase): string {
  const input = c.input;
  if (!Array.isArray(input)) return `Run the skill ${input.skill} on ${JSON.stringify(input.input)}`;
  return input
    .filter((m) => m.role !== 'assistant')
    .map((m) => m.content)
    .join('\n\n');
}

const caseLabel = (c: CrossVendorCase, i: number) => {
  const input = c.input;
  if (!Array.isArray(input)) return `case ${i + 1}: ${input.skill}`;
  const last = input.at(-1)?.content ?? '';
  return clip(`case ${i + 1}: ${last.replace(/\s+/g, ' ')}`, 80);
};

/** Judge calls go through the governed call under the judge's run, on the cross-vendor route. */
function judgeCall(
  deps: CrossVendorRunDeps,
  org: string,
  actor: Actor,
  caller: Caller | undefined,
): GovernedCall {
  return async (input) => {
    const requestId = newId('req');
    const answered = await deps.gateway.complete({
      requestId,
      route: 'cross-vendor',
      caller: { org, actor, ...caller },
      stream: false,
      request: {
        provider: input.provider,
        model: input.model,
        messages: input.messages,
        ...(input.system ? { system: input.system } : {}),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
        ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
      },
      ...(input.runId ? { run: { id: input.runId } } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { text: answered.result.text, costMicros: answered.costMicros, requestId };
  };
}

type Caller = Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;

interface RunOptions {
  org: string;
  actor: Actor;
  caller?: Caller;
  suite: CrossVendorSuite;
  /** A fresh id, or one derived from a schedule's tick; refused with `run_exists` when taken. */
  runId?: string;
  trigger?: { kind: 'manual' | 'schedule'; ref?: string };
  /** Cases in flight at once; providers of a case are always asked together. */
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * Starts a run of a suite (its `cp.run.started` and `cp.cross_vendor.run.started` recorded before this
 * resolves) and drives it in the background: `done` settles with the run's verdict. Each case asks every
 * provider at once, records each answer, compares every pair (the judge only where the rules allow it)
 * and ends the case's run; the suite run ends with the severity counts and the cost.
 */
export async function startCrossVendorRun(
  deps: CrossVendorRunDeps,
  options: RunOptions,
): Promise<{ runId: string; done: Promise<CrossVendorRunSummary> }> {
  const { store, org, actor, suite } = { ...deps, ...options };
  const runId = options.runId ?? newId('run');
  const log = crossVendorRunLog({ store, org, runId, actor });
  await log.start({
    type: 'start',
    suiteId: suite.suiteId,
    name: suite.name,
    trigger: options.trigger ?? { kind: 'manual' },
    cases: suite.cases.length,
    providers: suite.providers,
    judge: suite.judge,
  });
  const done = drive(deps, options, log).then(
    (): CrossVendorRunSummary => ({
      runId,
      status: 'succeeded',
      ...log.state().counts,
      costMicros: log.state().costMicros,
    }),
    async (error: unknown): Promise<CrossVendorRunSummary> => {
      await log.fail(error instanceof Error ? error.message : 'the run failed unexpectedly');
      return { runId, status: 'failed', ...log.state().counts, costMicros: log.state().costMicros };
    },
  );
  return { runId, done };
}

async function drive(deps: CrossVendorRunDeps, options: RunOptions, log: CrossVendorRunLog) {
  const { suite } = options;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 16));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < suite.cases.length && !failed) {
      // A stopped run takes no new case; the run then ends as failed with why.
      if (options.signal?.aborted) throw new Error('the run was stopped before every case ran');
      const index = next++;
      try {
        await runCase(deps, options, log, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // The cases in flight finish before the run is ended, so nothing is recorded after its end.
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(concurrency, suite.cases.length) }, worker),
  );
  const rejected = settled.find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  await log.complete();
}

async function runCase(
  deps: CrossVendorRunDeps,
  options: RunOptions,
  log: CrossVendorRunLog,
  caseIndex: number,
) {
  const { suite, org, actor, caller } = options;
  const c = suite.cases[caseIndex]!;
  const runId = log.state().runId;
  await log.openCase(caseIndex, caseLabel(c, caseIndex));
  const answers: ProviderAnswer[] = await Promise.all(
    suite.providers.map(async (ref, providerIndex) => {
      const answer = await askProvider(deps, {
        org,
        actor,
        ...(caller ? { caller } : {}),
        evalCase: c,
        ref,
        runId: providerRunId(runId, caseIndex, providerIndex),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const fields = answer.status === 'answered' ? fieldValues(c, answer.read.value) : {};
      await log.answer({
        type: 'answer',
        caseIndex,
        providerIndex,
        status: answer.status,
        error: answer.error,
        valid: answer.read.valid,
        problems: answer.read.problems.slice(0, 20).map((p) => p.slice(0, 300)),
        answerSha256: answer.text === null ? null : sha256Hex(answer.text),
        answer: answer.text === null ? null : masked(answer.text, LIMITS.answerChars),
        fields: Object.fromEntries((c.decisionFields ?? []).map((path) => [path, shown(fields[path])])),
        costMicros: answer.costMicros,
        latencyMs: answer.latencyMs,
        skillRunId: answer.skillRunId,
      });
      return answer;
    }),
  );
  const compares: Extract<CrossVendorRunCommand, { type: 'compare' }>[] = [];
  const judge = deps.judgeEquivalence ?? judgeEquivalence;
  const pairs: [number, number][] = [];
  for (let a = 0; a < answers.length; a++) for (let b = a + 1; b < answers.length; b++) pairs.push([a, b]);
  await Promise.all(
    pairs.map(async ([a, b]) => {
      const x = answers[a]!;
      const y = answers[b]!;
      const diffs =
        x.status === 'answered' && y.status === 'answered' && x.read.valid && y.read.valid
          ? decisionDiffs(c, fieldValues(c, x.read.value), fieldValues(c, y.read.value))
          : [];
      const textDiffers =
        x.text !== null &&
        y.text !== null &&
        comparableText(x.read, x.text) !== comparableText(y.read, y.text);
      const critical =
        x.status === 'failed' || y.status === 'failed' || !x.read.valid || !y.read.valid || diffs.length > 0;
      const compare: (typeof compares)[number] = {
        type: 'compare',
        caseIndex,
        a,
        b,
        diffs: diffs.map((d) => ({ path: d.path, a: shown(d.a), b: shown(d.b) })),
        textDiffers,
      };
      if (!critical && textDiffers && suite.judge) {
        const judgeRef = suite.judge;
        const id = judgeRunId(runId, caseIndex, a, b);
        await log.openJudge(
          caseIndex,
          a,
          b,
          `judge ${modelLabel(suite.providers[a]!)} ↔ ${modelLabel(suite.providers[b]!)}`,
        );
        try {
          const verdict = await judge({
            a: x.text!,
            b: y.text!,
            question: questionOf(c),
            judge: { provider: judgeRef.provider as ProviderId, model: judgeRef.model },
            call: judgeCall(deps, org, actor, caller),
            runId: id,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          compare.judge = {
            runId: id,
            verdict: verdict.equivalent ? 'equivalent' : 'different',
            costMicros: verdict.costMicros,
          };
          await log.closeJudge(caseIndex, a, b);
        } catch (error) {
          const message =
            error instanceof Error && 'code' in error
              ? `${String(error.code)}: ${error.message}`
              : 'the judge failed unexpectedly';
          compare.judge = { runId: id, verdict: 'failed', costMicros: 0, error: message.slice(0, 500) };
          await log.closeJudge(caseIndex, a, b, message);
        }
      }
      compares.push(compare);
    }),
  );
  compares.sort((p, q) => p.a - q.a || p.b - q.b);
  await log.closeCase(caseIndex, compares);
}
