import { type EventStore, type NewEvent, runKinds } from '@proofpane/core';
import {
  anomaly,
  callCompleted,
  capSet,
  policyDecided,
  reserved,
  runCompleted,
  runStarted,
  settled,
} from './events.js';

/** A small deterministic PRNG (mulberry32), so a seed always yields the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const statuses = ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'] as const;
const models = ['claude-sonnet', 'gpt-4o', 'deepseek-chat', 'gemini-pro'];

interface OrgState {
  open: string[];
  calls: number;
  runs: number;
}

/**
 * Appends a mixed history (governed calls with their gates, budget reservations, nested runs of
 * every kind, caps and anomalies) round-robin across `orgs`, one batch per append, the clock
 * moving `stepMs` between batches. Returns the number of events appended.
 */
export async function appendMixedEvents(options: {
  store: EventStore;
  clock: { now: Date };
  orgs: readonly string[];
  total: number;
  batchSize: number;
  start: Date;
  stepMs: number;
  seed?: number;
}): Promise<number> {
  const { store, clock, orgs } = options;
  const rand = random(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const states = new Map<string, OrgState>(orgs.map((org) => [org, { open: [], calls: 0, runs: 0 }]));
  let appended = 0;
  for (let batchNo = 0; appended < options.total; batchNo++) {
    const org = orgs[batchNo % orgs.length]!;
    const state = states.get(org)!;
    const events: NewEvent[] = [];
    const size = Math.min(options.batchSize, options.total - appended);
    while (events.length < size) {
      const r = rand();
      if (r < 0.06 || state.open.length === 0) {
        const id = `run_${++state.runs}`;
        const parentRunId = state.open.length > 0 && rand() < 0.6 ? pick(state.open) : undefined;
        events.push(runStarted({ id, kind: pick(runKinds), ...(parentRunId ? { parentRunId } : {}) }));
        state.open.push(id);
      } else if (r < 0.1) {
        const id = state.open.splice(Math.floor(rand() * state.open.length), 1)[0]!;
        events.push(runCompleted({ id, status: pick(statuses) }));
      } else if (r < 0.102) {
        events.push(capSet(rand() < 0.1 ? null : Math.floor(rand() * 1_000) * 1_000_000));
      } else {
        const id = `c${++state.calls}`;
        const runId = rand() < 0.6 ? pick(state.open) : undefined;
        const costMicros = Math.floor(rand() * 50_000) + 100;
        const month = clockMonth(options.start, batchNo, options.stepMs);
        events.push(policyDecided({ id, ...(runId ? { runId } : {}) }));
        events.push(reserved({ id, month, amountMicros: costMicros * 2 }));
        events.push(
          callCompleted({
            id,
            costMicros,
            inputTokens: Math.floor(rand() * 4_000),
            outputTokens: Math.floor(rand() * 1_000),
            model: pick(models),
            userId: `usr_${Math.floor(rand() * 6)}`,
            ...(rand() < 0.5 ? { apiKeyId: `key_${Math.floor(rand() * 3)}` } : {}),
            ...(rand() < 0.4 ? { agent: `agent_${Math.floor(rand() * 3)}` } : {}),
            ...(runId ? { runId } : {}),
          }),
        );
        if (rand() < 0.9) events.push(settled({ id, month, amountMicros: costMicros * 2 }));
        if (rand() < 0.02)
          events.push(anomaly({ id, costMicros, averageMicros: Math.floor(costMicros / 6) }));
      }
    }
    clock.now = new Date(options.start.getTime() + batchNo * options.stepMs);
    const written = await store.append({ org, events });
    appended += written.length;
  }
  return appended;
}

const clockMonth = (start: Date, batchNo: number, stepMs: number) =>
  new Date(start.getTime() + batchNo * stepMs).toISOString().slice(0, 7);
