import type { EvolutionSettings } from '@proofpane/commands';
import { evolutionSpend } from '@proofpane/projections';
import type { Kysely } from 'kysely';

/**
 * The evolution budget line this month (UTC): the read model's spend on the `evolution` route against the
 * org's `monthlyBudgetUsd`. The read model may lag a call or two, so the line can be passed by that much.
 */
export async function evolutionBudget(
  db: Kysely<unknown>,
  options: { org: string; settings: Pick<EvolutionSettings, 'monthlyBudgetUsd'>; now: Date },
): Promise<{ month: string; spentMicros: number; budgetMicros: number; exhausted: boolean }> {
  const month = options.now.toISOString().slice(0, 7);
  const { spentMicros } = await evolutionSpend(db, { org: options.org, month });
  const budgetMicros = Math.round(options.settings.monthlyBudgetUsd * 1_000_000);
  return { month, spentMicros, budgetMicros, exhausted: spentMicros >= budgetMicros };
}
