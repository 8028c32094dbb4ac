import type { JudgeBody } from '@proofpane/api';
import {
  checkRunPayload,
  type Gateway,
  handleTriageCommand,
  judgeOutput,
  type L4Verdict,
  maskedJudgeText,
  QualityJudgeError,
  type QualitySettings,
  readJudgeableRun,
  recordRunVerdict,
  recordSamplingCapped,
  triageItemId,
} from '@proofpane/commands';
import { type Actor, type EventStore, sha256Hex } from '@proofpane/core';
import { judgeSpend, pendingTriage } from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { chunkTexts } from './chunks.js';
import type { JudgeQueue } from './queue.js';

const SYSTEM: Actor = { kind: 'system', id: 'quality-judge' };
/** A held input or output is masked and cut like a triage item's, long enough for the judge to read. */
const HELD_CHARS = 20_000;
const DRY_TASK = 'Answer the task given in the input.';

export interface JudgeServiceDeps {
  db: Kysely<unknown>;
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  queue: JudgeQueue;
  settings: { get(org: string): Promise<QualitySettings> };
  now: () => Date;
  /** One run or org that failed; the pass goes on with the others. */
  onError?: (error: unknown, where: { org: string; runId?: string }) => void;
}

const monthOf = (at: Date) => at.toISOString().slice(0, 7);
const asText = (value: unknown) =>
  typeof value === 'string' ? value : JSON.stringify(value ?? null, null, 2);

/** Whether a run falls in the sample: a fixed point of its id's hash, so every process agrees. */
export const inSample = (runId: string, rate: number) =>
  rate > 0 && Number.parseInt(sha256Hex(runId).slice(0, 8), 16) / 0x1_0000_0000 < rate;

/**
 * The judge as the server runs it: on demand for a member, and in the sampling loop. Both check the
 * org's quality budget line (what verdicts cost this month, from the read model) before calling a judge.
 */
export function createJudgeService(deps: JudgeServiceDeps) {
  const { db, store, queue } = deps;
  const judgeDeps = { store, gateway: deps.gateway };

  async function budgetLeft(org: string, settings: QualitySettings, at: Date) {
    const { spentMicros } = await judgeSpend(db, { org, month: monthOf(at) });
    return { spentMicros, left: settings.l4.monthlyBudgetMicros - spentMicros };
  }

  return {
    /** A skill run's answer, offered as it succeeds: held for the judge when the run falls in the sample. */
    async offer(options: { org: string; runId: string; skill: string; input: unknown; output: unknown }) {
      const settings = await deps.settings.get(options.org);
      if (!inSample(options.runId, settings.l4.samplingRate)) return false;
      await queue.offer(
        {
          org: options.org,
          runId: options.runId,
          skill: options.skill,
          inputText: maskedJudgeText(asText(options.input), HELD_CHARS),
          outputText: maskedJudgeText(asText(options.output), HELD_CHARS),
        },
        deps.now(),
      );
      return true;
    },

    /** `POST /api/quality/judge`: a recorded verdict on a run, or a dry verdict on an output. */
    async judge(options: {
      org: string;
      actor: Actor;
      caller: { userId?: string; apiKeyId?: string; agent?: string };
      body: JudgeBody;
    }): Promise<{
      verdict: L4Verdict;
      recorded: boolean;
      judgeId: string | null;
      triageItemId: string | null;
    }> {
      const { org, actor, body } = options;
      const settings = await deps.settings.get(org);
      const run = body.runId ? await readJudgeableRun({ store, org, runId: body.runId }) : undefined;
      let input: unknown = body.input ?? null;
      let output: unknown = body.output;
      if (run) {
        if (output !== undefined) checkRunPayload(run, { output, input });
        else {
          const held = await queue.held(org, run.runId);
          if (!held)
            throw new QualityJudgeError(
              'quality_output_unavailable',
              `the output of run ${run.runId} is not held: send it as \`output\`, with the run's \`input\``,
            );
          input = held.inputText;
          output = held.outputText;
        }
      }
      if ((await budgetLeft(org, settings, deps.now())).left <= 0)
        throw new QualityJudgeError(
          'quality_budget_exhausted',
          "the org's quality budget for the month is spent",
        );
      const verdict = await judgeOutput(judgeDeps, {
        org,
        actor,
        caller: options.caller,
        settings: settings.l4,
        task: run?.task ?? body.task ?? DRY_TASK,
        input,
        output,
        chunks: run ? await chunkTexts(db, { org, ids: run.retrievedChunkIds }) : [],
        parentRunId: run?.runId,
      });
      if (!run) {
        if (verdict.score === null)
          throw new QualityJudgeError(
            'quality_judge_failed',
            'no judge gave a valid verdict, after one repair',
          );
        return { verdict, recorded: false, judgeId: null, triageItemId: null };
      }
      const recorded = await recordRunVerdict({
        store,
        org,
        actor,
        run,
        source: 'on_demand',
        verdict,
        output,
      });
      await queue.remove(org, run.runId);
      if (verdict.score === null)
        throw new QualityJudgeError(
          'quality_judge_failed',
          'no judge gave a valid verdict, after one repair',
        );
      return { verdict, ...recorded };
    },

    /** Opens the triage items of runs L3 flagged, with the held output when there is one. */
    async openPendingTriage(limit = 100): Promise<number> {
      let opened = 0;
      for (const pending of await pendingTriage(db, { limit })) {
        try {
          opened += await openOne(pending);
        } catch (error) {
          deps.onError?.(error, { org: pending.org, runId: pending.runId });
        }
      }
      return opened;
    },

    /**
     * One sampling pass: for each org with held runs, claims a stratified batch and judges it while the
     * month's budget line lasts; reaching it records `cp.quality.sampling.capped` once for the month and
     * gives the rest back for next month. Resolves with the verdicts recorded.
     */
    async samplePass(options: { holder: string; leaseMs: number; batch: number }): Promise<number> {
      let judged = 0;
      for (const org of await queue.orgs()) {
        try {
          judged += await sampleOrg(org, options);
        } catch (error) {
          deps.onError?.(error, { org });
        }
      }
      return judged;
    },
  };

  async function openOne(pending: Awaited<ReturnType<typeof pendingTriage>>[number]): Promise<number> {
    const events = await store.readSubject({ org: pending.org, subject: `run/${pending.runId}` });
    const invoked = events.find((e) => e.type === 'cp.skill.invoked');
    if (!invoked) return 0;
    const held = await queue.held(pending.org, pending.runId);
    const appended = await handleTriageCommand({
      store,
      org: pending.org,
      runId: pending.runId,
      actor: SYSTEM,
      command: {
        type: 'open',
        item: {
          itemId: triageItemId(pending.runId),
          runId: pending.runId,
          skill: (invoked.data as { skillId: string }).skillId,
          reasons: ['l3_unknown_ids'],
          output: held ? held.outputText.slice(0, 4_000) : null,
          l3: pending.l3 as never,
          judgeId: null,
          score: null,
          disagreement: null,
          unsupportedClaims: [],
        },
      },
    });
    return appended.length;
  }

  async function sampleOrg(org: string, options: { holder: string; leaseMs: number; batch: number }) {
    let judged = 0;
    const at = deps.now();
    const settings = await deps.settings.get(org);
    let { spentMicros, left } = await budgetLeft(org, settings, at);
    const capped = async () =>
      recordSamplingCapped({
        store,
        org,
        actor: SYSTEM,
        capped: { month: monthOf(at), spentMicros, budgetMicros: settings.l4.monthlyBudgetMicros },
      });
    if (left <= 0) {
      await capped();
      return 0;
    }
    const claimed = await queue.claim({
      org,
      holder: options.holder,
      at,
      leaseMs: options.leaseMs,
      limit: options.batch,
    });
    for (const [i, held] of claimed.entries()) {
      if (left <= 0) {
        await capped();
        for (const rest of claimed.slice(i)) await queue.release(org, rest.runId, options.holder);
        break;
      }
      const run = await readJudgeableRun({ store, org, runId: held.runId }).catch(() => undefined);
      if (!run) {
        await queue.remove(org, held.runId);
        continue;
      }
      const verdict = await judgeOutput(judgeDeps, {
        org,
        actor: SYSTEM,
        settings: settings.l4,
        task: run.task,
        input: held.inputText,
        output: held.outputText,
        chunks: await chunkTexts(db, { org, ids: run.retrievedChunkIds }),
        parentRunId: run.runId,
      });
      const recorded = await recordRunVerdict({
        store,
        org,
        actor: SYSTEM,
        run,
        source: 'sampled',
        verdict,
        output: held.outputText,
      });
      await queue.remove(org, held.runId);
      spentMicros += verdict.costMicros;
      left -= verdict.costMicros;
      if (recorded.recorded) judged++;
    }
    return judged;
  }
}

export type JudgeService = ReturnType<typeof createJudgeService>;
