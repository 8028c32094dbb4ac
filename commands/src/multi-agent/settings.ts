import type { Actor, EventData, EventStore } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { PROVIDER_IDS } from '../providers/types.js';
import type { ModelRef } from './model-call.js';

/**
 * Semantic entropy (nats) above which a consensus escalates when neither the org nor the request sets one:
 * with five agents a 4/1 split (0.500) decides, a 3/2 split (0.673) goes to a person.
 */
export const DEFAULT_ENTROPY_THRESHOLD = 0.6;

export const SETTINGS_SUBJECT = 'settings/multi-agent';

type SettingsFact = Fact<'cp.multiagent.settings.updated'>;

/** The org's consensus settings; `defaultModel` null means the deployment's default (`demo/demo`). */
export interface ConsensusSettings {
  entropyThreshold: number;
  defaultModel: ModelRef | null;
}

const isModel = (value: { provider: string; model: string } | null | undefined): value is ModelRef =>
  !!value && (PROVIDER_IDS as readonly string[]).includes(value.provider);

const settingsDecider: Decider<ConsensusSettings, ConsensusSettings, SettingsFact> = {
  initialState: () => ({ entropyThreshold: DEFAULT_ENTROPY_THRESHOLD, defaultModel: null }),
  understands: (type) => type === 'cp.multiagent.settings.updated',
  evolve: (_, fact: { data: EventData<'cp.multiagent.settings.updated'> }) => ({
    entropyThreshold: fact.data.entropyThreshold,
    defaultModel: isModel(fact.data.defaultModel) ? fact.data.defaultModel : null,
  }),
  // Setting the values it already has records nothing.
  decide: (command, state) =>
    JSON.stringify(command) === JSON.stringify(state)
      ? []
      : [
          {
            type: 'cp.multiagent.settings.updated',
            data: { entropyThreshold: command.entropyThreshold, defaultModel: command.defaultModel },
          },
        ],
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
  const { entropyThreshold, defaultModel } = options.settings;
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: SETTINGS_SUBJECT,
    decider: settingsDecider,
    command: {
      entropyThreshold,
      defaultModel: defaultModel ? { provider: defaultModel.provider, model: defaultModel.model } : null,
    },
    actor: options.actor,
  });
  return readConsensusSettings(options);
}
