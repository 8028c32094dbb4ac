import type { HitlRequested, HitlResolved, HitlStreamEvent } from '@proofpane/api';
import type { EventData, EventEnvelope, EventStore } from '@proofpane/core';
import type { HitlService } from './service.js';

export const HITL_EVENT_TYPES = [
  'cp.hitl.requested',
  'cp.hitl.resolved',
  'cp.hitl.expired',
  'cp.hitl.precedent.revoked',
  'cp.hitl.approver.revoked',
];

/** Whether `event` revokes the desktop approver `approverId` (whichever process appended it). */
export const isRevocationOf = (event: EventEnvelope, approverId: string) =>
  event.type === 'cp.hitl.approver.revoked' &&
  (event.data as EventData<'cp.hitl.approver.revoked'>).approverId === approverId;

export type HitlListener = (event: EventEnvelope) => void;

/**
 * One subscription to the store for every HITL event, from whichever process wrote it, fanned
 * out to the org's SSE clients and to waiting calls.
 */
export async function startHitlFeed(options: {
  store: EventStore;
  service: HitlService;
  onError: (error: unknown) => void;
}) {
  const listeners = new Map<string, Set<HitlListener>>();
  const subscription = options.store.subscribe({
    after: await options.store.latestCursor(),
    types: HITL_EVENT_TYPES,
    // Under load commits land every few milliseconds; one read per 10 ms serves them all.
    gatherMs: 10,
    onEvents: async (batch) => {
      for (const { event } of batch) {
        await options.service.observe(event).catch(options.onError);
        for (const listener of listeners.get(event.org) ?? []) listener(event);
      }
    },
    onError: options.onError,
  });
  return {
    listen(org: string, listener: HitlListener): () => void {
      let set = listeners.get(org);
      if (!set) {
        set = new Set();
        listeners.set(org, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(org);
      };
    },
    stop: () => subscription.close(),
  };
}

export type HitlFeed = Awaited<ReturnType<typeof startHitlFeed>>;

type HitlStreamMessage =
  | { name: Extract<HitlStreamEvent, 'hitl.requested'>; data: HitlRequested }
  | { name: Extract<HitlStreamEvent, 'hitl.resolved'>; data: HitlResolved };

/** The SSE event name and payload for a HITL event (ids only; clients re-read the queue). */
export function sseMessage(event: EventEnvelope): HitlStreamMessage | undefined {
  switch (event.type) {
    case 'cp.hitl.requested': {
      const data = event.data as EventData<'cp.hitl.requested'>;
      return {
        name: 'hitl.requested',
        data: {
          id: data.requestId,
          status: 'pending',
          kind: data.kind,
          risk: data.risk,
          target: data.target,
          summary: data.summary,
          expiresAt: data.expiresAt,
        },
      };
    }
    case 'cp.hitl.resolved': {
      const data = event.data as EventData<'cp.hitl.resolved'>;
      return {
        name: 'hitl.resolved',
        data: {
          id: data.requestId,
          status: data.decision === 'approve' ? 'approved' : 'denied',
          decision: data.decision,
          auto: data.auto,
          by: event.actor.id,
        },
      };
    }
    case 'cp.hitl.expired': {
      const data = event.data as EventData<'cp.hitl.expired'>;
      return {
        name: 'hitl.resolved',
        data: { id: data.requestId, status: 'expired', decision: 'deny', auto: true, by: 'hitl-timeout' },
      };
    }
    default:
      return undefined;
  }
}
