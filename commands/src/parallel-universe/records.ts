import { type Actor, ConcurrencyError, type EventStore } from '@proofpane/core';
import { puBudgetSubject, puSourceSubject } from './facts.js';
import type { FetchOutcome } from './fetch-source.js';
import type { PuSource } from './sources.js';

/** One source's fetch, with the validators and retry instant the next fetch starts from. */
export async function recordSourceFetch(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  source: PuSource;
  outcome: FetchOutcome;
  newItems: number;
}): Promise<void> {
  const { outcome } = options;
  await options.store.append({
    org: options.org,
    events: [
      {
        type: 'cp.pu.source.fetched',
        subject: puSourceSubject(options.source),
        actor: options.actor,
        data: {
          source: options.source,
          outcome: outcome.kind,
          newItems: options.newItems,
          ...outcome.cursor,
          ...(outcome.kind === 'failed' ? { reason: outcome.reason.slice(0, 300) } : {}),
        },
      },
    ],
  });
}

/** The month's triage stop, recorded once: the subject is new only for the first process that stops. */
export async function recordBudgetExhausted(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  month: string;
  capMicros: number;
  spentMicros: number;
}): Promise<boolean> {
  const subject = puBudgetSubject(options.month);
  try {
    await options.store.append({
      org: options.org,
      events: [
        {
          type: 'cp.pu.budget.exhausted',
          subject,
          actor: options.actor,
          data: { month: options.month, capMicros: options.capMicros, spentMicros: options.spentMicros },
        },
      ],
      expectedVersions: { [subject]: 0 },
    });
    return true;
  } catch (error) {
    if (error instanceof ConcurrencyError) return false;
    throw error;
  }
}
