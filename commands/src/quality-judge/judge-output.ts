import { type Actor, canonicalJson, type EventStore, newId, sha256Hex } from '@proofpane/core';
import type { GatewayCaller } from '../gateway/index.js';
import { foldSubject, handleCommand } from '../kit/decider.js';
import type { L4Settings } from '../quality/settings.js';
import { getSkill } from '../skills/catalogue/index.js';
import { QualityJudgeError } from './errors.js';
import { type JudgeDeps, runJudge } from './judge.js';
import { judgedRunDecider } from './judged-run.js';
import { maskedJudgeText } from './masked.js';
import { judgeMessage } from './rubric.js';
import { handleTriageCommand, type TriageOpened, triageItemId } from './triage.js';
import { combineVerdicts, type L4Verdict, verdictTriageReasons } from './verdict.js';

/** The longest output a triage item keeps, DLP-masked, for the person who reviews it. */
export const TRIAGE_OUTPUT_CHARS = 4_000;

export interface JudgeOutputRequest {
  org: string;
  actor: Actor;
  caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
  settings: L4Settings;
  /** What the output was asked to do: the skill's title, or the caller's own description. */
  task: string;
  input: unknown;
  output: unknown;
  /** The retrieved chunks the output may rest on, with their text. */
  chunks: readonly { id: string; text: string }[];
  /** The judged run, when there is one: the judges' runs nest under it. */
  parentRunId?: string | undefined;
}

/**
 * An L4 verdict on one output: the org's judge and, when set, its second judge, asked at once, each a
 * governed call in a run of its own. Throws `quality_judge_failed` only when no judge gave a verdict and
 * nothing is to be recorded (a dry verdict); a run's failed verdict is recorded by `recordRunVerdict`.
 */
export async function judgeOutput(deps: JudgeDeps, request: JudgeOutputRequest): Promise<L4Verdict> {
  const { settings } = request;
  const message = judgeMessage({
    task: request.task,
    input: request.input,
    output: request.output,
    chunks: request.chunks,
  });
  const judges = [settings.judge, ...(settings.secondJudge ? [settings.secondJudge] : [])];
  const judged = await Promise.all(
    judges.map((judge) =>
      runJudge(deps, {
        org: request.org,
        actor: request.actor,
        ...(request.caller ? { caller: request.caller } : {}),
        judge,
        message,
        parentRunId: request.parentRunId,
      }),
    ),
  );
  return combineVerdicts({ judged, threshold: settings.threshold, margin: settings.disagreementMargin });
}

/** What the judge knows of a run from its events: the skill, hashes and the chunks its calls recorded. */
export interface JudgeableRun {
  runId: string;
  skill: string;
  task: string;
  inputSha256: string;
  outputSha256: string;
  retrievedChunkIds: string[];
}

/** A skill run with an accepted answer, read from its subject and its accepted call's events. */
export async function readJudgeableRun(options: {
  store: EventStore;
  org: string;
  runId: string;
}): Promise<JudgeableRun> {
  const { store, org, runId } = options;
  const events = await store.readSubject({ org, subject: `run/${runId}` });
  const { state } = await foldSubject({ store, org, subject: `run/${runId}`, decider: judgedRunDecider });
  const accepted = events.find((e) => e.type === 'cp.skill.output.accepted');
  if (!state.skill || !state.outputSha256 || !state.inputSha256 || !accepted)
    throw new QualityJudgeError(
      'quality_run_not_judgeable',
      `run ${runId} is not a skill run with an accepted answer`,
    );
  const requestId = (accepted.data as { requestId: string }).requestId;
  const call = await store.readSubject({ org, subject: `call/${requestId}` });
  const completed = call.find((e) => e.type === 'cp.llm.call.completed');
  const chunkIds = (completed?.data as { retrievedChunkIds?: string[] } | undefined)?.retrievedChunkIds ?? [];
  return {
    runId,
    skill: state.skill,
    task: getSkill(state.skill)?.title ?? state.skill,
    inputSha256: state.inputSha256,
    outputSha256: state.outputSha256,
    retrievedChunkIds: chunkIds,
  };
}

/** The run's output and input as sent by a caller must be the ones the run recorded. */
export function checkRunPayload(run: JudgeableRun, payload: { output: unknown; input: unknown }): void {
  if (
    sha256Hex(canonicalJson(payload.output)) !== run.outputSha256 ||
    sha256Hex(canonicalJson(payload.input ?? null)) !== run.inputSha256
  )
    throw new QualityJudgeError(
      'quality_output_mismatch',
      `the output or input sent is not the one run ${run.runId} recorded`,
    );
}

const outputText = (output: unknown) => {
  const text = typeof output === 'string' ? output : JSON.stringify(output, null, 2);
  return maskedJudgeText(text, TRIAGE_OUTPUT_CHARS);
};

/**
 * Records a verdict on its run as `cp.quality.l4.judged` and, when it flags the run, opens the run's
 * triage item with the output (DLP-masked, clipped) and the verdict's evidence. Resolves with the judge id,
 * whether the verdict was recorded (a second sampled verdict is not) and the triage item opened, if any.
 */
export async function recordRunVerdict(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  run: JudgeableRun;
  source: 'on_demand' | 'sampled';
  verdict: L4Verdict;
  output: unknown;
}): Promise<{ judgeId: string; recorded: boolean; triageItemId: string | null }> {
  const { store, org, actor, run, verdict } = options;
  const judgeId = newId('qj');
  const appended = await handleCommand({
    store,
    org,
    subject: `run/${run.runId}`,
    decider: judgedRunDecider,
    command: {
      type: 'record',
      judged: {
        judgeId,
        skill: run.skill,
        source: options.source,
        outputSha256: run.outputSha256,
        retrievedChunkIds: run.retrievedChunkIds,
        ...verdict,
      },
    },
    actor,
    meta: { runId: run.runId },
  });
  const reasons = verdictTriageReasons(verdict);
  if (appended.length === 0 || reasons.length === 0)
    return { judgeId, recorded: appended.length > 0, triageItemId: null };
  const item: TriageOpened = {
    itemId: triageItemId(run.runId),
    runId: run.runId,
    skill: run.skill,
    reasons,
    output: outputText(options.output),
    l3: null,
    judgeId,
    score: verdict.score,
    disagreement: verdict.disagreement,
    unsupportedClaims: verdict.judges.flatMap((j) => j.unsupportedClaims).slice(0, 20),
  };
  await handleTriageCommand({ store, org, runId: run.runId, actor, command: { type: 'open', item } });
  return { judgeId, recorded: true, triageItemId: item.itemId };
}
