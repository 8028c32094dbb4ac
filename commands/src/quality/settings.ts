import type { Actor, EventStore } from '@proofpane/core';
import { type Decider, foldSubject, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

export const QUALITY_SETTINGS_SUBJECT = 'settings/quality';

type SettingsFact = Fact<'cp.quality.settings.updated'>;

/** The org's quality settings; L3 on governed answers outside skills is off until an admin turns it on. */
export interface QualitySettings {
  l3: { governedAnswers: boolean };
}

const settingsDecider: Decider<QualitySettings, QualitySettings, SettingsFact> = {
  initialState: () => ({ l3: { governedAnswers: false } }),
  understands: (type) => type === 'cp.quality.settings.updated',
  evolve: (_, fact) => ({ l3: { governedAnswers: fact.data.l3GovernedAnswers } }),
  // Setting the value it already has records nothing.
  decide: (command, state) =>
    command.l3.governedAnswers === state.l3.governedAnswers
      ? []
      : [{ type: 'cp.quality.settings.updated', data: { l3GovernedAnswers: command.l3.governedAnswers } }],
};

export { settingsDecider as qualitySettingsDecider };

/** The org's quality settings, folded from its settings events. */
export async function readQualitySettings(options: {
  store: EventStore;
  org: string;
}): Promise<QualitySettings> {
  const { state } = await foldSubject({
    ...options,
    subject: QUALITY_SETTINGS_SUBJECT,
    decider: settingsDecider,
  });
  return state;
}

export async function updateQualitySettings(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  settings: QualitySettings;
}): Promise<QualitySettings> {
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: QUALITY_SETTINGS_SUBJECT,
    decider: settingsDecider,
    command: { l3: { governedAnswers: options.settings.l3.governedAnswers } },
    actor: options.actor,
  });
  return readQualitySettings(options);
}
