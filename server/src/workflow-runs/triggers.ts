import {
  type EventTriggeredWorkflow,
  type PinnedWorkflow,
  RunInputError,
  runsForEvent,
  ScheduleBook,
  type ScheduledWorkflow,
  startWorkflowRun,
  type WorkflowEngine,
  type WorkflowGraph,
  WorkflowRunError,
  type WorkflowTrigger,
} from '@proofpane/commands';
import type { EventStore, Subscription } from '@proofpane/core';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';

const SYSTEM = { kind: 'system' as const, id: 'workflow-trigger' };

interface PublishedRow {
  org: string;
  id: string;
  name: string;
  version: number;
  hash: string;
  graph: string;
}

/**
 * The published versions whose trigger is a schedule or an event, across orgs: read from the workflow
 * definitions' tables (a cheap text filter first, the trigger's config after parsing).
 */
async function publishedTriggers(db: Kysely<unknown>) {
  const { rows } = await sql<PublishedRow>`
    SELECT w.org, w.id, w.name, v.version, v.hash, v.graph FROM workflows w
    JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.published_version
    WHERE w.status = 'published' AND (v.graph LIKE '%"schedule"%' OR v.graph LIKE '%"event"%')`.execute(db);
  const schedules: ScheduledWorkflow[] = [];
  const events: EventTriggeredWorkflow[] = [];
  for (const row of rows) {
    const graph = JSON.parse(row.graph) as WorkflowGraph;
    const config = graph.nodes.find((n) => n.type === 'trigger')?.config ?? {};
    const workflow: PinnedWorkflow = {
      id: row.id,
      name: row.name,
      version: row.version,
      sha256: row.hash,
      graph,
    };
    if (config.kind === 'schedule' && typeof config.cron === 'string')
      schedules.push({ org: row.org, workflow, cron: config.cron });
    if (config.kind === 'event' && typeof config.eventType === 'string')
      events.push({ org: row.org, workflow, eventType: config.eventType });
  }
  return { schedules, events };
}

/**
 * The schedule and event triggers of this process: schedules fire on their cron ticks, events of a watched
 * type start the workflows listening for them. Every process may run them: a run's id is derived from its
 * tick or its event, so each starts once. Ticks and events that pass while no server runs start nothing.
 */
export function startTriggers(options: {
  db: Kysely<unknown>;
  store: EventStore;
  engine: WorkflowEngine;
  log: FastifyBaseLogger;
  refreshMs?: number;
  tickMs?: number;
}): { stop(): Promise<void>; refresh(): Promise<void> } {
  const { db, store, engine, log } = options;
  const book = new ScheduleBook();
  let listeners: EventTriggeredWorkflow[] = [];
  let watched = '';
  let cursor: string | undefined;
  let subscription: Subscription | undefined;
  let stopped = false;

  const start = async (
    org: string,
    workflow: PinnedWorkflow,
    input: unknown,
    trigger: WorkflowTrigger,
    runId: string,
  ) => {
    try {
      await startWorkflowRun({ store, org, actor: SYSTEM, workflow, input, trigger, runId, now: new Date() });
      engine.kick(org, runId);
    } catch (error) {
      if (error instanceof WorkflowRunError && error.code === 'run_exists') return;
      if (error instanceof RunInputError)
        return log.warn(
          { workflowId: workflow.id, trigger: trigger.kind },
          `a ${trigger.kind} trigger's input fails the schema: ${error.message}`,
        );
      throw error;
    }
  };

  const resubscribe = async (types: string[]) => {
    await subscription?.close();
    subscription = undefined;
    if (types.length === 0 || stopped) return;
    cursor ??= await store.latestCursor();
    subscription = store.subscribe({
      after: cursor,
      types,
      onEvents: async (batch) => {
        for (const { cursor: at, event } of batch) {
          for (const run of runsForEvent(listeners, event))
            await start(run.org, run.workflow, run.input, { kind: 'event', ref: event.id }, run.runId);
          cursor = at;
        }
      },
      onError: (err) => log.warn({ err }, 'workflow event trigger'),
    });
  };

  const refresh = async () => {
    const { schedules, events } = await publishedTriggers(db);
    book.update(schedules, new Date());
    listeners = events;
    const types = [...new Set(events.map((e) => e.eventType))].sort();
    if (types.join('\n') !== watched) {
      watched = types.join('\n');
      await resubscribe(types);
    }
  };

  const tick = async () => {
    for (const due of book.due(new Date()))
      await start(due.org, due.workflow, {}, { kind: 'schedule', ref: due.tick }, due.runId);
  };

  const every = (ms: number, work: () => Promise<void>, what: string) => {
    const timer = setInterval(() => {
      if (!stopped) work().catch((err: unknown) => log.warn({ err }, what));
    }, ms);
    timer.unref();
    return timer;
  };
  const refresher = every(options.refreshMs ?? 5_000, refresh, 'workflow triggers refresh');
  const ticker = every(options.tickMs ?? 1_000, tick, 'workflow schedule tick');
  refresh().catch((err: unknown) => log.warn({ err }, 'workflow triggers refresh'));

  return {
    refresh,
    async stop() {
      stopped = true;
      clearInterval(refresher);
      clearInterval(ticker);
      await subscription?.close();
    },
  };
}
