import { type Actor, ConcurrencyError, type EventStore } from '@proofpane/core';
import { type Decider, foldSubject, toNewEvents } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import type { DreamOutcome } from './dream.js';

type DreamFact = Fact<'cp.evolution.dream.started' | 'cp.evolution.dream.completed'>;

/** The org's dreams share one subject: its version is the lease two processes race for. */
export const DREAMS_SUBJECT = 'dreams/evolution';

export interface DreamsState {
  /** The dream holding the lease, until when; null once it completed. */
  running: { dreamId: string; leaseUntil: string } | null;
  /** When the last dream started, completed or not: the interval counts from it. */
  lastStartedAt: string | null;
}

export type DreamCommand =
  | { type: 'start'; dreamId: string; now: Date; leaseMs: number; intervalMs: number }
  | { type: 'complete'; dreamId: string; outcome: DreamOutcome & { deprecated: number } };

/**
 * Whether a dream may start now: none holds a live lease and the interval since the last one passed.
 * A process that died mid-dream leaves a lease that expires, so another takes over (decisions/0019).
 */
export const dreamsDecider: Decider<DreamCommand, DreamsState, DreamFact> = {
  initialState: () => ({ running: null, lastStartedAt: null }),
  understands: (type) => type.startsWith('cp.evolution.dream.'),
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.evolution.dream.started':
        return { running: { ...fact.data }, lastStartedAt: fact.data.startedAt };
      case 'cp.evolution.dream.completed':
        return state.running?.dreamId === fact.data.dreamId ? { ...state, running: null } : state;
      default: {
        const unreachable: never = fact;
        return unreachable;
      }
    }
  },
  decide(command, state) {
    if (command.type === 'complete')
      return state.running?.dreamId === command.dreamId
        ? [{ type: 'cp.evolution.dream.completed', data: { dreamId: command.dreamId, ...command.outcome } }]
        : [];
    const now = command.now.getTime();
    if (state.running && Date.parse(state.running.leaseUntil) > now) return [];
    if (state.lastStartedAt && Date.parse(state.lastStartedAt) + command.intervalMs > now) return [];
    return [
      {
        type: 'cp.evolution.dream.started',
        data: {
          dreamId: command.dreamId,
          startedAt: command.now.toISOString(),
          leaseUntil: new Date(now + command.leaseMs).toISOString(),
        },
      },
    ];
  },
};

/**
 * Decides a dream command and appends it at the version read, once: when another process appended first,
 * it resolves false and this one does not dream.
 */
export async function decideDream(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: DreamCommand;
}): Promise<boolean> {
  const { store, org } = options;
  const { state, version } = await foldSubject({
    store,
    org,
    subject: DREAMS_SUBJECT,
    decider: dreamsDecider,
  });
  const facts = dreamsDecider.decide(options.command, state);
  if (facts.length === 0) return false;
  try {
    await store.append({
      org,
      events: toNewEvents({ facts, subject: DREAMS_SUBJECT, actor: options.actor }),
      expectedVersions: { [DREAMS_SUBJECT]: version },
    });
    return true;
  } catch (error) {
    if (error instanceof ConcurrencyError) return false;
    throw error;
  }
}
