import type { EventStore } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import { runDecider } from '../runs/decider.js';
import type { CallRun, GatewayCall } from './types.js';

const KNOWN_RUNS_MAX = 10_000;

/**
 * Starts or joins the caller's run, then hands back a store that stamps `meta.runId` on every event of
 * the call (gate decisions, reservation, outcome, alerts), so the run's tree, cost and tokens fill from
 * real traffic. Runs this process already started skip the read: a run is started once and never again.
 */
export function createRunScope(options: { store: EventStore }) {
  const started = new Set<string>();
  return async function storeFor(call: GatewayCall & { run: CallRun }): Promise<EventStore> {
    const { run, caller } = call;
    const meta = { runId: run.id };
    const key = `${caller.org}\n${run.id}`;
    if (!started.has(key)) {
      await handleCommand({
        store: options.store,
        org: caller.org,
        subject: `run/${run.id}`,
        decider: runDecider,
        command: { type: 'join', kind: 'gateway-session', name: run.name ?? run.id },
        actor: caller.actor,
        meta: run.parentId ? { ...meta, parentRunId: run.parentId } : meta,
      });
      if (started.size >= KNOWN_RUNS_MAX) started.clear();
      started.add(key);
    }
    return stampingMeta(options.store, meta);
  };
}

function stampingMeta(store: EventStore, meta: Record<string, string>): EventStore {
  const append: EventStore['append'] = (o) =>
    store.append({ ...o, events: o.events.map((e) => ({ ...e, meta: { ...meta, ...e.meta } })) });
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
