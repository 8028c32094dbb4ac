import { type Actor, type EventStore, newId } from '@proofpane/core';
import { toNewEvents } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { cancelWorkflowRun } from '../workflow-runs/cancel-run.js';
import type { PinnedWorkflow } from '../workflow-runs/decide.js';
import { workflowRunView } from '../workflow-runs/run-view.js';
import { startWorkflowRun } from '../workflow-runs/start-run.js';
import { evaluateCase } from './evaluate.js';
import type { CaseResult, EvalCase } from './suite.js';

const POLL_MS = 50;

/**
 * Runs a workflow's eval suite: every case a run of the pinned version (trigger `eval`, started together),
 * awaited until it ends or the suite's time is up (then cancelled), checked, and recorded on
 * `workflow-eval/<id>`: one event per case, then the suite's verdict.
 */
export async function runEvalSuite(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  workflow: PinnedWorkflow;
  cases: readonly EvalCase[];
  /** Drives a run now (the engine's kick). */
  kick(runId: string): void;
  timeoutMs: number;
  now?: () => Date;
}): Promise<{ evalId: string; passed: boolean; cases: CaseResult[] }> {
  const { store, org, actor, workflow } = options;
  const now = options.now ?? (() => new Date());
  const evalId = newId('wfe');
  const subject = `workflow-eval/${evalId}`;
  const deadline = Date.now() + options.timeoutMs;
  const started = [];
  for (const evalCase of options.cases) {
    const { runId } = await startWorkflowRun({
      store,
      org,
      actor,
      workflow,
      input: evalCase.input,
      trigger: { kind: 'eval', ref: evalId },
      ...(evalCase.maxSteps !== undefined ? { budget: { maxSteps: evalCase.maxSteps } } : {}),
      now: now(),
    });
    options.kick(runId);
    started.push({ evalCase, runId });
  }

  const results: CaseResult[] = [];
  for (const { evalCase, runId } of started) {
    const read = async () =>
      workflowRunView(runId, await store.readSubject({ org, subject: `run/${runId}` }))!;
    let run = await read();
    while (run.endedAt === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      run = await read();
    }
    if (run.endedAt === null) {
      await cancelWorkflowRun({ store, org, runId, actor, reason: 'the eval suite ran out of time' }).catch(
        () => {},
      );
      options.kick(runId);
      run = await read();
    }
    const checks = evaluateCase(evalCase, run);
    const passed = checks.every((c) => c.passed);
    results.push({ name: evalCase.name, runId, status: run.status, passed, checks });
    const fact: Fact<'cp.workflow.eval.case.completed'> = {
      type: 'cp.workflow.eval.case.completed',
      data: {
        evalId,
        workflowId: workflow.id,
        version: workflow.version,
        name: evalCase.name,
        runId,
        passed,
        checks,
      },
    };
    await store.append({ org, events: toNewEvents({ facts: [fact], subject, actor }) });
  }
  const failed = results.filter((r) => !r.passed).length;
  const verdict: Fact<'cp.workflow.eval.completed'> = {
    type: 'cp.workflow.eval.completed',
    data: {
      evalId,
      workflowId: workflow.id,
      version: workflow.version,
      passed: failed === 0,
      cases: results.length,
      failed,
    },
  };
  await store.append({ org, events: toNewEvents({ facts: [verdict], subject, actor }) });
  return { evalId, passed: failed === 0, cases: results };
}
