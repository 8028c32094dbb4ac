import {
  type Actor,
  ConcurrencyError,
  type EventEnvelope,
  type EventStore,
  type InlineWrite,
} from '@proofpane/core';
import { toNewEvents } from '../kit/decider.js';
import { factsOf } from '../kit/fact.js';
import { decideWorkflowRun, type WorkflowRunCommand } from './decide.js';
import { isWorkflowRunFact, runSubject, type WorkflowRunFact } from './facts.js';
import { evolveWorkflowRun, initialWorkflowRunState, type WorkflowRunState } from './state.js';

/** The actor of the engine's own transitions. */
export const ENGINE_ACTOR: Actor = { kind: 'system', id: 'workflow-engine' };

/**
 * One run's folded state and subject version, kept by the worker that drives it so a transition costs
 * one append and no read. Every append expects the version folded; when another writer moved the run
 * (a cancellation, a worker taking it over) the append fails, the session folds again and the caller
 * decides on the fresher state. Decisions are serialised: parallel steps of one run append in turn.
 */
export class RunSession {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: EventStore,
    readonly org: string,
    readonly runId: string,
    public state: WorkflowRunState,
    public version: number,
    /** Who started the run (the actor of its `cp.run.started`). */
    public starter: Actor,
  ) {}

  static async open(options: { store: EventStore; org: string; runId: string }): Promise<RunSession> {
    const { state, version, starter } = await read(options);
    return new RunSession(options.store, options.org, options.runId, state, version, starter);
  }

  /** Folds the subject again from the store. */
  async refresh(): Promise<void> {
    const { state, version, starter } = await read({ store: this.store, org: this.org, runId: this.runId });
    this.state = state;
    this.version = version;
    this.starter = starter;
  }

  /** Decides on the current fold and appends at its version; `[]` when the decision was a no-op. */
  decide(command: WorkflowRunCommand, inline?: InlineWrite): Promise<EventEnvelope[]> {
    const next = this.tail.then(() => this.decideNow(command, inline));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async decideNow(command: WorkflowRunCommand, inline?: InlineWrite): Promise<EventEnvelope[]> {
    const facts = decideWorkflowRun(command, this.state);
    if (facts.length === 0) return [];
    const subject = runSubject(this.runId);
    try {
      const appended = await this.store.append({
        org: this.org,
        events: toNewEvents({ facts, subject, actor: ENGINE_ACTOR, meta: { runId: this.runId } }),
        expectedVersions: { [subject]: this.version },
        ...(inline ? { inline } : {}),
      });
      this.state = facts.reduce(evolveWorkflowRun, this.state);
      this.version = appended.at(-1)?.subjectVersion ?? this.version;
      return appended;
    } catch (error) {
      if (error instanceof ConcurrencyError) await this.refresh();
      throw error;
    }
  }
}

async function read(options: { store: EventStore; org: string; runId: string }) {
  const events = await options.store.readSubject({ org: options.org, subject: runSubject(options.runId) });
  const state = factsOf<WorkflowRunFact>(events, isWorkflowRunFact).reduce(
    evolveWorkflowRun,
    initialWorkflowRunState(),
  );
  const starter = events.find((e) => e.type === 'cp.run.started')?.actor ?? ENGINE_ACTOR;
  return { state, version: events.at(-1)?.subjectVersion ?? 0, starter };
}
