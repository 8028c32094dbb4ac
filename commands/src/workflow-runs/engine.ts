import type { EventStore } from '@proofpane/core';
import type { WorkflowGraph } from '../workflows/graph.js';
import { conditionExecutor } from './condition-executor.js';
import { notAvailable, type StepExecutor, type StepExecutors } from './executors.js';
import { hitlExecutor } from './hitl-executor.js';
import type { KeptOutputs } from './kept-outputs.js';
import {
  GraphUnavailableError,
  type HumanApprovals,
  type PublishedWorkflows,
  type RunIndex,
} from './ports.js';
import { type DriverContext, RunDriver } from './run-driver.js';
import type { WorkerIdentity } from './worker-identity.js';

export interface WorkflowEngineOptions {
  store: EventStore;
  workflows: PublishedWorkflows;
  /**
   * Executors per node type; condition and hitl have built-in ones, the others (skill, tool, mcp_call)
   * come from the server, which holds the runtimes they call.
   */
  executors: StepExecutors;
  approvals?: HumanApprovals | undefined;
  /** The table integration steps keep their outputs in, outside the log (decisions/0052). */
  kept?: KeptOutputs | undefined;
  index: RunIndex;
  identity: WorkerIdentity;
  /** How long a claim holds a run; renewed while the worker drives it (15 s). */
  leaseMs?: number;
  /** How often the index is asked for runs to resume or take over (1 s). */
  sweepMs?: number;
  /** Runs this worker drives at once (1,000); more wait for a later sweep. */
  maxActiveRuns?: number;
  /** How long a stopping worker lets in-flight steps finish before it aborts them (5 s). */
  stopGraceMs?: number;
  now?: () => Date;
  random?: () => number;
  onError?: (error: unknown, where: string) => void;
}

/**
 * The durable run engine of one worker: it drives the runs this process started, resumes every
 * unfinished run on start, takes over runs whose holder's lease ended, and wakes waiting runs when their
 * person decides. It keeps no state of its own that the run's events do not hold; a worker can be
 * stopped or killed at any point and another one (or its next incarnation) carries on.
 */
export class WorkflowEngine {
  private readonly drivers = new Map<string, RunDriver>();
  private readonly watched = new Set<string>();
  private readonly graphs = new Map<string, Promise<WorkflowGraph>>();
  private readonly ctx: DriverContext;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkflowEngineOptions) {
    const executors: Record<string, StepExecutor> = {
      condition: conditionExecutor,
      hitl: hitlExecutor,
      // Without the server's multi-agent runner (specs of other steps) a multi_agent step cannot run.
      multi_agent: notAvailable(
        'multi_agent steps need the multi-agent runner, which this engine was not given',
      ),
      ...options.executors,
    };
    const onError = options.onError ?? (() => {});
    this.ctx = {
      store: options.store,
      identity: options.identity,
      leaseMs: options.leaseMs ?? 15_000,
      now: options.now ?? (() => new Date()),
      random: options.random ?? Math.random,
      graphOf: (org, run) => this.graphOf(org, run),
      executorFor: (type) => executors[type] ?? notAvailable(`no executor runs ${type} steps`),
      approvals: options.approvals,
      kept: options.kept,
      watch: (org, runId, requestId) => this.watch(org, runId, requestId),
      onError,
    };
  }

  get holder(): string {
    return this.options.identity.holder;
  }

  /** Resumes what the index lists at once, then sweeps every `sweepMs`. */
  start(): void {
    this.stopped = false;
    const every = this.options.sweepMs ?? 1_000;
    const tick = () => {
      if (this.stopped) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.ctx.onError(error, 'sweeping for runs'))
        .finally(() => {
          this.sweeping = undefined;
          if (!this.stopped) this.sweeper = setTimeout(tick, every);
        });
    };
    tick();
  }

  /** Stops sweeping and driving; each driven run's lease is released so another worker takes it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweeper);
    await this.sweeping;
    const grace = this.options.stopGraceMs ?? 5_000;
    await Promise.all([...this.drivers.values()].map((d) => d.stop(grace)));
    await this.idle();
  }

  /** Drives the run now (a new run, a cancellation, a decision); a no-op once stopped. */
  kick(org: string, runId: string): void {
    if (this.stopped) return;
    const key = `${org}\n${runId}`;
    const driver = this.drivers.get(key);
    if (driver) driver.wake(true);
    else this.spawn(org, runId);
  }

  /** Runs this worker is driving now. */
  get active(): number {
    return this.drivers.size;
  }

  /** Resolves once no run is being driven here (tests, shutdown). */
  idle(): Promise<void> {
    if (this.drivers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** One look at the index: every candidate not driven here yet is claimed and driven. */
  async sweep(): Promise<void> {
    const room = (this.options.maxActiveRuns ?? 1_000) - this.drivers.size;
    if (room <= 0) return;
    const candidates = await this.options.index.candidates({
      now: this.ctx.now(),
      holder: this.options.identity.holder,
      deadHolders: this.options.identity.deadHolders,
      limit: Math.min(room, 500),
    });
    for (const { org, runId } of candidates)
      if (!this.drivers.has(`${org}\n${runId}`)) this.spawn(org, runId);
  }

  private spawn(org: string, runId: string): void {
    const key = `${org}\n${runId}`;
    if ((this.options.maxActiveRuns ?? 1_000) <= this.drivers.size) return;
    const driver = new RunDriver(this.ctx, org, runId);
    this.drivers.set(key, driver);
    driver
      .drive()
      .catch((error: unknown) => this.ctx.onError(error, `driving run ${runId}`))
      .finally(() => {
        this.drivers.delete(key);
        // A kick that came while the driver was on its way out drives the run again.
        if (driver.kicked && !this.stopped) this.spawn(org, runId);
        if (this.drivers.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  private watch(org: string, runId: string, requestId: string): void {
    const approvals = this.options.approvals;
    const key = `${org}\n${requestId}`;
    if (!approvals || this.watched.has(key)) return;
    this.watched.add(key);
    approvals.whenDecided({ org, requestId }, () => {
      this.watched.delete(key);
      this.kick(org, runId);
    });
  }

  /** The pinned version's graph, read once per process (a published version never changes) and checked by hash. */
  private graphOf(org: string, run: { workflowId: string; version: number; graphSha256: string }) {
    const key = `${org}\n${run.workflowId}\n${run.version}`;
    let graph = this.graphs.get(key);
    if (!graph) {
      graph = (async () => {
        const found = await this.options.workflows.find({
          org,
          workflowId: run.workflowId,
          version: run.version,
        });
        if (!found)
          throw new GraphUnavailableError(
            `workflow ${run.workflowId} has no published version ${run.version}`,
          );
        if (found.sha256 !== run.graphSha256)
          throw new GraphUnavailableError(
            `version ${run.version} hashes to ${found.sha256}, the run pinned ${run.graphSha256}`,
          );
        return found.graph;
      })();
      graph.catch(() => this.graphs.delete(key));
      if (this.graphs.size > 5_000) this.graphs.clear();
      this.graphs.set(key, graph);
    }
    return graph;
  }
}
