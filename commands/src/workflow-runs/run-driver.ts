import {
  type Actor,
  ConcurrencyError,
  canonicalJson,
  type EventStore,
  type InlineWrite,
  newId,
} from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { RunError, runDecider } from '../runs/decider.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import type { WorkflowRunCommand } from './decide.js';
import { isWorkflowRunError } from './errors.js';
import { failedWith, type StepContext, type StepExecutor, type StepResult } from './executors.js';
import {
  isKeptOutputReference,
  type KeptOutputs,
  keptOutputRef,
  keptOutputSha256,
  MAX_KEPT_OUTPUT_BYTES,
} from './kept-outputs.js';
import { type ApprovalDecision, GraphUnavailableError, type HumanApprovals } from './ports.js';
import { ENGINE_ACTOR, RunSession } from './run-session.js';
import type { StepState } from './state.js';
import { stepPolicy } from './step-policy.js';
import type { WorkerIdentity } from './worker-identity.js';

/** What every driver of this process shares; the engine provides it. */
export interface DriverContext {
  store: EventStore;
  identity: WorkerIdentity;
  leaseMs: number;
  now(): Date;
  random(): number;
  graphOf(
    org: string,
    run: { workflowId: string; version: number; graphSha256: string },
  ): Promise<WorkflowGraph>;
  executorFor(type: string): StepExecutor;
  approvals: HumanApprovals | undefined;
  /** Where outputs kept outside the log go (decisions/0052); without it such a step fails. */
  kept: KeptOutputs | undefined;
  /** Asks the engine to drive the run again once the request is decided. */
  watch(org: string, runId: string, requestId: string): void;
  onError(error: unknown, where: string): void;
}

/** Why an attempt was aborted: only a timeout is the step's own failure; the others are not recorded. */
class StepAbort extends Error {
  constructor(readonly kind: 'timeout' | 'lost' | 'ended' | 'stopping') {
    super(
      kind === 'timeout' ? 'the step took longer than its timeout' : `the worker stopped the step (${kind})`,
    );
  }
}

const HITL_OUTCOMES: Record<Exclude<ApprovalDecision, 'pending' | 'missing'>, string> = {
  approved: 'approved',
  denied: 'denied',
  expired: 'timeout',
};

/**
 * Drives one run while this worker holds its lease: starts the steps that are due, records each attempt's
 * result, renews the lease, and hands the run back (releases it) when only people are left to act. Every
 * transition is a decision on the run's fold appended at its version, so a second worker, a cancellation
 * or a restart can only make an append fail, never land twice.
 */
export class RunDriver {
  private session: RunSession | undefined;
  private graph: WorkflowGraph | undefined;
  private readonly inflight = new Map<string, AbortController>();
  /** Attempts this driver has run (`node#attempt`), so one is never run twice here. */
  private readonly launched = new Set<string>();
  private wakeUp: (() => void) | undefined;
  /** A wake that came while the loop was busy: the next sleep returns at once. */
  private woken = false;
  /** Set by a kick: something outside changed the run (a decision, a cancellation). */
  kicked = false;
  private stopping = false;

  constructor(
    private readonly ctx: DriverContext,
    readonly org: string,
    readonly runId: string,
  ) {}

  wake(kicked = false): void {
    if (kicked) this.kicked = true;
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops starting steps; in-flight ones are aborted after `graceMs` and the lease is given back. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wake();
    const deadline = Date.now() + graceMs;
    while (this.inflight.size > 0 && Date.now() < deadline) await sleep(20);
    this.abortAll('stopping');
  }

  async drive(): Promise<void> {
    const session = await RunSession.open({ store: this.ctx.store, org: this.org, runId: this.runId });
    this.session = session;
    const run = session.state.run;
    if (session.state.phase !== 'running' || !run) return;
    try {
      this.graph = await this.ctx.graphOf(this.org, run);
    } catch (error) {
      if (!(error instanceof GraphUnavailableError)) throw error;
      await this.act({ type: 'abort', reason: `the pinned version cannot be read: ${messageOf(error)}` });
      return;
    }
    if (!(await this.claim())) return;
    await this.checkWaits();
    try {
      await this.loop();
    } finally {
      this.abortAll(this.stopping ? 'stopping' : 'ended');
      if (this.stopping && this.holds())
        await this.act({ type: 'release', holder: this.ctx.identity.holder });
    }
  }

  private holds(): boolean {
    return this.session?.state.lease?.holder === this.ctx.identity.holder;
  }

  private async claim(): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const session = this.session!;
      const lease = session.state.lease;
      const orphans = Object.values(session.state.steps).flatMap((s) =>
        s.status === 'running' && s.holder !== this.ctx.identity.holder && s.childRunId ? [s.childRunId] : [],
      );
      try {
        await session.decide({
          type: 'claim',
          holder: this.ctx.identity.holder,
          now: this.ctx.now(),
          graph: this.graph!,
          leaseMs: this.ctx.leaseMs,
          jitter: this.ctx.random(),
          force: lease !== undefined && this.ctx.identity.isDead(lease.holder),
        });
        for (const childRunId of orphans) await this.endOrphan(childRunId);
        return session.state.phase === 'running' && this.holds();
      } catch (error) {
        if (error instanceof ConcurrencyError) continue;
        if (isWorkflowRunError(error)) return false;
        throw error;
      }
    }
    return false;
  }

  /**
   * Ends the child run of an attempt whose worker died, so the run tree does not show it going forever;
   * a child that ended or never started is left alone.
   */
  private async endOrphan(childRunId: string): Promise<void> {
    try {
      await handleCommand({
        store: this.ctx.store,
        org: this.org,
        subject: `run/${childRunId}`,
        decider: runDecider,
        command: { type: 'complete', status: 'failed', error: 'the workflow worker running it stopped' },
        actor: ENGINE_ACTOR,
        meta: { runId: childRunId },
      });
    } catch (error) {
      if (!(error instanceof RunError) && !(error instanceof ConcurrencyError)) throw error;
    }
  }

  /** Decides and appends; a lost race or a refusal is not an error here: the loop looks at the fresh fold. */
  private async act(command: WorkflowRunCommand, inline?: InlineWrite): Promise<boolean> {
    try {
      return (await this.session!.decide(command, inline)).length > 0;
    } catch (error) {
      if (error instanceof ConcurrencyError || isWorkflowRunError(error)) return false;
      throw error;
    }
  }

  private async loop(): Promise<void> {
    const { identity, leaseMs } = this.ctx;
    for (;;) {
      this.woken = false;
      const session = this.session!;
      if (this.kicked) {
        this.kicked = false;
        await session.refresh();
        await this.checkWaits();
      }
      const state = session.state;
      const run = state.run!;
      if (state.phase !== 'running') return;
      if (!this.holds()) return this.abortAll('lost');
      if (this.stopping) return;
      const now = this.ctx.now().getTime();
      if (now >= Date.parse(run.deadline)) {
        await this.act({ type: 'expire', now: this.ctx.now() });
        continue;
      }
      const renewAt = Date.parse(state.lease!.expiresAt) - (leaseMs * 2) / 3;
      if (now >= renewAt) {
        if (!(await this.claim())) return this.abortAll('lost');
        continue;
      }
      let wakeAt = Math.min(renewAt, Date.parse(run.deadline));
      let acted = false;
      for (const step of Object.values(state.steps)) {
        if (this.inflight.has(step.nodeId)) continue;
        if (step.status === 'scheduled') {
          const due = step.notBefore ? Date.parse(step.notBefore) : 0;
          if (due > now) wakeAt = Math.min(wakeAt, due);
          else {
            await this.begin(step.nodeId);
            acted = true;
          }
        } else if (step.status === 'running' && step.holder === identity.holder) {
          // Started by this worker along with a completion: run it now.
          if (!this.launched.has(`${step.nodeId}#${step.attempt}`)) {
            this.launch(step);
            continue;
          }
          // Run here already, but its result never landed (the append failed): try it as a new attempt.
          acted = await this.act({
            ...this.held(),
            type: 'fail',
            nodeId: step.nodeId,
            attempt: step.attempt,
            code: 'interrupted',
            message: 'the attempt was started but not run by this worker',
            retryable: true,
            jitter: this.ctx.random(),
          });
        }
      }
      if (acted) continue;
      if (this.inflight.size === 0) {
        const open = Object.values(session.state.steps).filter(
          (s) => s.status !== 'completed' && s.status !== 'failed',
        );
        if (open.length > 0 && open.every((s) => s.status === 'waiting')) {
          // Only people are left to act: give the run back; a decision kicks it again, here or elsewhere.
          await this.act({ type: 'release', holder: identity.holder });
          return;
        }
        if (open.length === 0) return;
      }
      await this.sleepUntil(wakeAt);
    }
  }

  private held() {
    return { holder: this.ctx.identity.holder, now: this.ctx.now(), graph: this.graph! };
  }

  private async begin(nodeId: string): Promise<void> {
    const node = this.graph!.nodes.find((n) => n.id === nodeId);
    const childRunId = node?.type === 'skill' ? newId('run') : undefined;
    const started = await this.act({ ...this.held(), type: 'begin', nodeId, childRunId });
    const step = this.session!.state.steps[nodeId];
    if (started && step?.status === 'running' && step.holder === this.ctx.identity.holder) this.launch(step);
  }

  private async contextFor(step: StepState, signal: AbortSignal, approved?: boolean): Promise<StepContext> {
    const state = this.session!.state;
    const outputs: Record<string, unknown> = {};
    for (const s of Object.values(state.steps)) if (s.status === 'completed') outputs[s.nodeId] = s.output;
    // Outputs kept outside the log are read back from their table, so later steps map the values.
    if (Object.values(outputs).some(isKeptOutputReference) && this.ctx.kept) {
      const kept = await this.ctx.kept.readRun({ org: this.org, runId: this.runId });
      for (const [nodeId, output] of Object.entries(outputs))
        if (isKeptOutputReference(output)) outputs[nodeId] = kept.get(output.kept.ref)?.value ?? null;
    }
    const node = this.graph!.nodes.find((n) => n.id === step.nodeId)!;
    const trigger = this.graph!.nodes.find((n) => n.type === 'trigger');
    if (trigger) outputs[trigger.id] = state.run!.input;
    return {
      org: this.org,
      runId: this.runId,
      workflowId: state.run!.workflowId,
      version: state.run!.version,
      node,
      attempt: step.attempt,
      mapping: { input: state.run!.input, outputs },
      childRunId: step.childRunId,
      actor: this.session!.starter,
      signal,
      ...(approved ? { approved } : {}),
    };
  }

  /** Runs one attempt in the background and records its result; the loop is woken when it settles. */
  private launch(step: StepState, approved?: boolean): void {
    this.launched.add(`${step.nodeId}#${step.attempt}`);
    const control = new AbortController();
    this.inflight.set(step.nodeId, control);
    const node = this.graph!.nodes.find((n) => n.id === step.nodeId);
    // An approved step acts long after its attempt's deadline: it gets its node's full timeout again.
    const timeoutMs =
      approved && node
        ? stepPolicy(node).timeoutMs
        : Math.max(0, Date.parse(step.timeoutAt ?? '') - this.ctx.now().getTime());
    const timer = setTimeout(() => control.abort(new StepAbort('timeout')), timeoutMs);
    void (async () => {
      let result: StepResult;
      try {
        const node = this.graph!.nodes.find((n) => n.id === step.nodeId)!;
        const executor = this.ctx.executorFor(node.type);
        result = await abortable(
          this.contextFor(step, control.signal, approved).then(executor),
          control.signal,
        );
      } catch (error) {
        const reason = control.signal.reason;
        if (reason instanceof StepAbort && reason.kind !== 'timeout')
          result = { status: 'failed', code: 'aborted', message: reason.message, retryable: true };
        else if (reason instanceof StepAbort)
          result = { status: 'failed', code: 'timeout', message: reason.message, retryable: true };
        else result = failedWith('step_error', error, true);
      } finally {
        clearTimeout(timer);
      }
      const reason = control.signal.reason;
      try {
        // An attempt stopped because the run ended or moved away is not this worker's to record.
        if (!(reason instanceof StepAbort && reason.kind !== 'timeout')) await this.record(step, result);
      } catch (error) {
        this.ctx.onError(error, `recording step ${step.nodeId} of run ${this.runId}`);
      } finally {
        this.inflight.delete(step.nodeId);
        this.wake();
      }
    })();
  }

  private async record(step: StepState, result: StepResult): Promise<void> {
    const { nodeId, attempt } = step;
    switch (result.status) {
      case 'completed': {
        // The steps this completion makes ready start in the same append; the loop runs them.
        const childRunIds: Record<string, string> = {};
        for (const edge of this.graph!.edges) {
          const to = edge.from === nodeId ? this.graph!.nodes.find((n) => n.id === edge.to) : undefined;
          if (to?.type === 'skill') childRunIds[to.id] = newId('run');
        }
        let output = result.output;
        let inline: InlineWrite | undefined;
        const keep = result.keep ?? this.derivedFromKept(nodeId, result.output);
        if (keep) {
          const kept = this.ctx.kept;
          if (!kept) {
            await this.record(step, {
              status: 'failed',
              code: 'not_available',
              message: 'no kept-outputs table is wired to this worker',
              retryable: false,
            });
            return;
          }
          const fields = [...new Set(keep.fields)].sort();
          const value = result.output;
          const bytes = Buffer.byteLength(canonicalJson(value ?? null));
          if (bytes > MAX_KEPT_OUTPUT_BYTES) {
            await this.record(step, {
              status: 'failed',
              code: 'output_too_large',
              message: `the step's output is ${bytes} bytes; at most ${MAX_KEPT_OUTPUT_BYTES} are kept (read fewer records per step)`,
              retryable: false,
            });
            return;
          }
          output = {
            kept: {
              ref: keptOutputRef(this.runId, nodeId, attempt),
              sha256: keptOutputSha256(value),
              fields,
            },
          };
          inline = (trx) =>
            kept.write(trx, { org: this.org, runId: this.runId, nodeId, attempt, value, fields });
        }
        await this.act(
          {
            ...this.held(),
            type: 'complete',
            nodeId,
            attempt,
            output,
            outcome: result.outcome,
            costMicros: result.costMicros ?? 0,
            childRunId: result.childRunId,
            begin: this.stopping ? undefined : { childRunIds },
          },
          inline,
        );
        return;
      }
      case 'failed':
        await this.act({
          ...this.held(),
          type: 'fail',
          nodeId,
          attempt,
          code: result.code,
          message: result.message,
          retryable: result.retryable,
          costMicros: result.costMicros,
          jitter: this.ctx.random(),
        });
        return;
      case 'approval': {
        const approvals = this.ctx.approvals;
        if (!approvals) {
          await this.record(step, {
            status: 'failed',
            code: 'not_available',
            message: 'no HITL service is wired to this worker',
            retryable: false,
          });
          return;
        }
        // The request id is recorded before the request exists, so a restart reopens the same request.
        const requestId = newId('hitl');
        const holder = this.ctx.identity.holder;
        if (!(await this.act({ type: 'wait', nodeId, attempt, hitlRequestId: requestId, holder }))) return;
        await this.openRequest(step, requestId, result);
        return;
      }
      default:
        return result satisfies never;
    }
  }

  /**
   * A step whose config maps a kept output holds values derived from it (a skill's answer quoting a lead):
   * its output is kept outside the log too, named by its top-level keys.
   */
  private derivedFromKept(nodeId: string, output: unknown): { fields: string[] } | undefined {
    if (!this.mapsKeptOutput(nodeId)) return undefined;
    return {
      fields:
        output !== null && typeof output === 'object' && !Array.isArray(output)
          ? Object.keys(output).filter((k) => /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/.test(k))
          : [],
    };
  }

  /** Whether the node's config maps an output that is kept outside the log. */
  private mapsKeptOutput(nodeId: string): boolean {
    const node = this.graph!.nodes.find((n) => n.id === nodeId);
    const steps = this.session!.state.steps;
    const mapped = JSON.stringify(node?.config ?? {}).matchAll(
      /\$\.nodes\.([A-Za-z_][A-Za-z0-9_-]*)\.output/g,
    );
    for (const [, source] of mapped) if (source && isKeptOutputReference(steps[source]?.output)) return true;
    return false;
  }

  private async openRequest(
    step: StepState,
    requestId: string,
    spec: Extract<StepResult, { status: 'approval' }>,
  ): Promise<void> {
    const run = this.session!.state.run!;
    // A request's summary lands in its event: values mapped from a kept output stay out of it.
    const summary =
      this.graph!.nodes.find((n) => n.id === step.nodeId)?.type === 'hitl' && this.mapsKeptOutput(step.nodeId)
        ? `${step.nodeId}: approve to continue; the values it shows are kept outside the log (GET /api/workflow-runs/${this.runId}/kept-outputs)`
        : spec.summary;
    await this.ctx.approvals!.open({
      org: this.org,
      requestId,
      actor: this.session!.starter as Actor,
      runId: this.runId,
      target: `workflow/${run.workflowId}/${step.nodeId}`,
      summary,
      args: {
        ...spec.details,
        workflowId: run.workflowId,
        version: run.version,
        nodeId: step.nodeId,
        summary,
      },
      timeoutSeconds: spec.timeoutSeconds,
      risk: spec.risk,
    });
    this.ctx.watch(this.org, this.runId, requestId);
  }

  /** Completes the waiting steps whose person has decided; reopens a request a crash left unopened. */
  private async checkWaits(): Promise<void> {
    const approvals = this.ctx.approvals;
    if (!approvals || !this.holds()) return;
    for (const step of Object.values(this.session!.state.steps)) {
      if (step.status !== 'waiting' || !step.hitlRequestId) continue;
      const decision = await approvals.decision({ org: this.org, requestId: step.hitlRequestId });
      if (decision === 'pending') {
        this.ctx.watch(this.org, this.runId, step.hitlRequestId);
        continue;
      }
      const type = this.graph!.nodes.find((n) => n.id === step.nodeId)?.type ?? 'hitl';
      if (decision === 'missing') {
        const control = new AbortController();
        const spec = await this.ctx.executorFor(type)(await this.contextFor(step, control.signal));
        if (spec.status === 'approval') await this.openRequest(step, step.hitlRequestId, spec);
        else await this.record(step, spec);
        continue;
      }
      if (type !== 'hitl') {
        // A step that asked before acting: approved, it runs again to act; otherwise it fails.
        if (decision === 'approved') {
          if (!this.launched.has(`${step.nodeId}#${step.attempt}#approved`)) {
            this.launched.add(`${step.nodeId}#${step.attempt}#approved`);
            this.launch(step, true);
          }
        } else
          await this.act({
            ...this.held(),
            type: 'fail',
            nodeId: step.nodeId,
            attempt: step.attempt,
            code: decision === 'denied' ? 'approval_denied' : 'approval_expired',
            message: `the person asked ${decision === 'denied' ? 'denied' : 'did not decide'} this step`,
            retryable: false,
            jitter: this.ctx.random(),
          });
        continue;
      }
      await this.act({
        ...this.held(),
        type: 'complete',
        nodeId: step.nodeId,
        attempt: step.attempt,
        output: { decision: HITL_OUTCOMES[decision] },
        outcome: HITL_OUTCOMES[decision],
        costMicros: 0,
      });
    }
  }

  private abortAll(kind: 'lost' | 'ended' | 'stopping'): void {
    for (const control of this.inflight.values()) control.abort(new StepAbort(kind));
  }

  private async sleepUntil(at: number): Promise<void> {
    if (this.woken) return;
    const ms = Math.max(1, at - this.ctx.now().getTime());
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The executor's answer, or the abort's reason thrown as soon as the signal fires. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
