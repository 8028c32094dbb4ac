import { type Actor, canonicalJson, type EventData, type EventStore } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { foldSubject, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

/** Every setting has a value: one an older event lacks reads as its default. */
export type EvolutionSettings = Required<EventData<'cp.evolution.settings.updated'>>;
type SettingsFact = Fact<'cp.evolution.settings.updated'>;

export const EVOLUTION_SETTINGS_SUBJECT = 'settings/evolution';

/** Dreams are off until an admin turns them on; nothing is deprecated for disuse unless asked. */
export const EVOLUTION_DEFAULTS: EvolutionSettings = {
  dreamsEnabled: false,
  dreamIntervalMinutes: 1440,
  maxOpenProposals: 3,
  staleAfterDays: null,
  replayInputs: 5,
  model: null,
  monthlyBudgetUsd: 5,
  replayKeepRuns: 50,
  replayKeepDays: 30,
};

const settingsDecider: Decider<EvolutionSettings, EvolutionSettings, SettingsFact> = {
  initialState: () => EVOLUTION_DEFAULTS,
  understands: (type) => type === 'cp.evolution.settings.updated',
  evolve: (_state, fact) => ({ ...EVOLUTION_DEFAULTS, ...fact.data }),
  decide: (command, state) =>
    canonicalJson(command) === canonicalJson(state)
      ? []
      : [{ type: 'cp.evolution.settings.updated', data: command }],
};

export const loadEvolutionSettings = async (options: {
  store: EventStore;
  org: string;
}): Promise<EvolutionSettings> =>
  (
    await foldSubject({
      store: options.store,
      org: options.org,
      subject: EVOLUTION_SETTINGS_SUBJECT,
      decider: settingsDecider,
    })
  ).state;

/** Records the org's settings when they change; the same settings again record nothing. */
export async function updateEvolutionSettings(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  settings: EvolutionSettings;
}): Promise<EvolutionSettings> {
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: EVOLUTION_SETTINGS_SUBJECT,
    decider: settingsDecider,
    command: options.settings,
    actor: options.actor,
  });
  return loadEvolutionSettings(options);
}
