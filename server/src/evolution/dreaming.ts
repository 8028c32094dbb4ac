import {
  decideDream,
  dream,
  EvolutionError,
  evolvableSkill,
  type Gateway,
  handleEvolutionCommand,
  loadEvolution,
  loadEvolutionSettings,
  recordEvolutionCapped,
  skillSignals,
  staleSince,
} from '@proofpane/commands';
import { type EventStore, newId } from '@proofpane/core';
import { lastCapsuleRuns, skillsWithApprovedGenes } from '@proofpane/projections';
import type { Kysely } from 'kysely';
import { evolutionBudget } from './budget.js';

const ACTOR = { kind: 'system' as const, id: 'evolution-dream' };
/** How long a dream may take before another process may take over its org. */
const LEASE_MS = 10 * 60_000;
/** How far back in the org's log a dream looks for signals. */
const SIGNAL_WINDOW_EVENTS = 5_000;

export interface DreamPassDeps {
  store: EventStore;
  db: Kysely<unknown>;
  gateway: Pick<Gateway, 'complete'>;
}

export interface DreamPassResult {
  dreamt: boolean;
  skills: number;
  signals: number;
  proposed: number;
  deprecated: number;
  costMicros: number;
}

const NOTHING: DreamPassResult = {
  dreamt: false,
  skills: 0,
  signals: 0,
  proposed: 0,
  deprecated: 0,
  costMicros: 0,
};

/** The `stale_after_days` rule over the org's approved genes: each stale one deprecated, naming the rule. */
async function deprecateStale(
  deps: DreamPassDeps,
  options: { org: string; now: Date; staleAfterDays: number; skill?: string | undefined },
): Promise<number> {
  const { store, db } = deps;
  const { org, now, staleAfterDays } = options;
  let deprecated = 0;
  for (const { skill, genes } of await skillsWithApprovedGenes(db, { org })) {
    const evolvable = evolvableSkill(skill);
    if (!evolvable || (options.skill && skill !== options.skill)) continue;
    const { state } = await loadEvolution({ store, org, skill });
    const lastRuns = await lastCapsuleRuns(db, { org, skill });
    for (const { geneId, approvedAt } of genes) {
      if (!state.approved.includes(geneId)) continue;
      const runs = [...state.capsules.values()]
        .filter((c) => c.genes.includes(geneId))
        .flatMap((c) => lastRuns.get(c.capsuleId) ?? []);
      const lastRunAt =
        runs.length > 0 ? runs.reduce((a, b) => (Date.parse(a) > Date.parse(b) ? a : b)) : null;
      const verdict = staleSince({ approvedAt, lastRunAt, now, staleAfterDays });
      if (!verdict.stale) continue;
      try {
        await handleEvolutionCommand({
          store,
          org,
          actor: ACTOR,
          command: {
            type: 'deprecate',
            geneId,
            skill,
            basePrompt: evolvable.basePrompt,
            rule: 'stale_after_days',
            by: null,
            staleAfterDays,
            lastUsedAt: verdict.lastUsedAt,
          },
        });
        deprecated += 1;
      } catch (error) {
        // Deprecated by a person meanwhile: nothing left to do.
        if (!(error instanceof EvolutionError)) throw error;
      }
    }
  }
  return deprecated;
}

/**
 * One pass of the evolution loop over one org, under the org's dream lease: when dreams are on and their
 * interval passed (or a person asked, `force`), propose genes from the log's signals; when
 * `stale_after_days` is set, deprecate the genes no capsule used for that long. `skill` narrows both to one.
 */
export async function dreamPass(
  deps: DreamPassDeps,
  options: { org: string; now: Date; force?: boolean; skill?: string | undefined },
): Promise<DreamPassResult> {
  const { store } = deps;
  const { org, now } = options;
  const settings = await loadEvolutionSettings({ store, org });
  let dreams = settings.dreamsEnabled || options.force === true;
  let budgetLeftMicros: number | undefined;
  if (dreams) {
    // At the evolution budget line no proposal is asked for until next month; the stop is recorded once.
    const budget = await evolutionBudget(deps.db, { org, settings, now });
    if (budget.exhausted) {
      await recordEvolutionCapped({
        store,
        org,
        actor: ACTOR,
        capped: { month: budget.month, spentMicros: budget.spentMicros, budgetMicros: budget.budgetMicros },
      });
      dreams = false;
    }
    budgetLeftMicros = budget.budgetMicros - budget.spentMicros;
  }
  if (!dreams && settings.staleAfterDays === null) return NOTHING;
  const dreamId = newId('dream');
  const started = await decideDream({
    store,
    org,
    actor: ACTOR,
    command: {
      type: 'start',
      dreamId,
      now,
      leaseMs: LEASE_MS,
      intervalMs: options.force ? 0 : settings.dreamIntervalMinutes * 60_000,
    },
  });
  if (!started) return NOTHING;
  const result: DreamPassResult = { ...NOTHING, dreamt: true };
  try {
    if (dreams) {
      const head = await store.head(org);
      const fromSeq = Math.max(1, (head?.seq ?? 0) - SIGNAL_WINDOW_EVENTS + 1);
      const all = skillSignals(await store.readOrg({ org, fromSeq }));
      const signals = options.skill ? new Map([...all].filter(([skill]) => skill === options.skill)) : all;
      Object.assign(
        result,
        await dream(
          { store, gateway: deps.gateway },
          {
            org,
            actor: ACTOR,
            settings,
            signals,
            ...(budgetLeftMicros === undefined ? {} : { budgetLeftMicros }),
          },
        ),
      );
    }
    if (settings.staleAfterDays !== null)
      result.deprecated = await deprecateStale(deps, {
        org,
        now,
        staleAfterDays: settings.staleAfterDays,
        skill: options.skill,
      });
  } finally {
    const { dreamt: _d, ...outcome } = result;
    await decideDream({ store, org, actor: ACTOR, command: { type: 'complete', dreamId, outcome } });
  }
  return result;
}

/** Runs `dreamPass` over every org each interval until stopped; one org's failure never stops the others. */
export function startDreamLoop(
  deps: DreamPassDeps & {
    intervalMs: number;
    now?: () => Date;
    onError: (error: unknown, where: { org: string }) => void;
  },
): { stop(): Promise<void> } {
  let stopped = false;
  let busy = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    for (const org of await deps.store.orgs()) {
      if (stopped) return;
      if (org.startsWith('_')) continue;
      try {
        await dreamPass(deps, { org, now: deps.now?.() ?? new Date() });
      } catch (error) {
        deps.onError(error, { org });
      }
    }
  };
  // A pass slower than the interval is not stacked on: the next tick finds it busy and waits its turn.
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = tick()
      .catch((error: unknown) => deps.onError(error, { org: '*' }))
      .finally(() => {
        busy = false;
      });
  }, deps.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
