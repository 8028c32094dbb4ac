import type { Actor, EventData, EventStore } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

/**
 * Semantic entropy (nats) above which a consensus escalates when neither the org nor the request sets one:
 * with five agents a 4/1 split (0.500) decides, a 3/2 split (0.673) goes to a person.
 */
export const DEFAULT_ENTROPY_THRESHOLD = 0.6;

export const SETTINGS_SUBJECT = 'settings/multi-agent';

type SettingsFact = Fact<'cp.multiagent.settings.updated'>;
export interface ConsensusSettings {
  entropyThreshold: number;
}

const settingsDecider: Decider<
  EventData<'cp.multiagent.settings.updated'>,
  ConsensusSettings,
  SettingsFact
> = {
  initialState: () => ({ entropyThreshold: DEFAULT_ENTROPY_THRESHOLD }),
  understands: (type) => type === 'cp.multiagent.settings.updated',
  evolve: (_, fact) => ({ entropyThreshold: fact.data.entropyThreshold }),
  // Setting the value it already has records nothing.
  decide: (command, state) =>
    command.entropyThreshold === state.entropyThreshold
      ? []
      : [{ type: 'cp.multiagent.settings.updated', data: { entropyThreshold: command.entropyThreshold } }],
};

/** The org's consensus settings, folded from its settings events. */
export async function readConsensusSettings(options: {
  store: EventStore;
  org: string;
}): Promise<ConsensusSettings> {
  const events = await options.store.readSubject({ org: options.org, subject: SETTINGS_SUBJECT });
  return events
    .filter((e) => settingsDecider.understands(e.type))
    .reduce(
      (state, e) =>
        settingsDecider.evolve(state, {
          type: 'cp.multiagent.settings.updated',
          data: e.data,
        } as SettingsFact),
      settingsDecider.initialState(),
    );
}

export async function updateConsensusSettings(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  settings: ConsensusSettings;
}): Promise<ConsensusSettings> {
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: SETTINGS_SUBJECT,
    decider: settingsDecider,
    command: options.settings,
    actor: options.actor,
  });
  return readConsensusSettings(options);
}
