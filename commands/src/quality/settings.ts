import type { Actor, EventStore } from '@proofpane/core';
import { type Decider, foldSubject, handleCommand } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

export const QUALITY_SETTINGS_SUBJECT = 'settings/quality';

type SettingsFact = Fact<'cp.quality.settings.updated'>;

/** The L4 judge's settings (docs/quality.md): the demo judge, no second one, no sampling until set. */
export interface L4Settings {
  judge: { provider: string; model: string };
  secondJudge: { provider: string; model: string } | null;
  /** A verdict passes when its score (the weakest dimension) reaches this. */
  threshold: number;
  /** Two judges differing by more than this on one dimension send the run to triage. */
  disagreementMargin: number;
  /** The share of each skill's runs the sampling loop judges; 0 turns sampling off. */
  samplingRate: number;
  /** The quality budget line: what judging may spend in a calendar month (UTC), in micro-dollars. */
  monthlyBudgetMicros: number;
}

export const L4_DEFAULTS: L4Settings = {
  judge: { provider: 'demo', model: 'demo' },
  secondJudge: null,
  threshold: 3,
  disagreementMargin: 1,
  samplingRate: 0,
  monthlyBudgetMicros: 5_000_000,
};

/** The org's quality settings; L3 on governed answers outside skills is off until an admin turns it on. */
export interface QualitySettings {
  l3: { governedAnswers: boolean };
  l4: L4Settings;
}

/** A change: `l4` absent leaves the judge's settings as they are. */
export interface QualitySettingsChange {
  l3: { governedAnswers: boolean };
  l4?: L4Settings | undefined;
}

const sameL4 = (a: L4Settings, b: L4Settings) => JSON.stringify(a) === JSON.stringify(b);

const settingsDecider: Decider<QualitySettingsChange, QualitySettings, SettingsFact> = {
  initialState: () => ({ l3: { governedAnswers: false }, l4: L4_DEFAULTS }),
  understands: (type) => type === 'cp.quality.settings.updated',
  evolve: (state, fact) => ({
    l3: { governedAnswers: fact.data.l3GovernedAnswers },
    l4: fact.data.l4 ?? state.l4,
  }),
  // Setting the values it already has records nothing.
  decide: (command, state) =>
    command.l3.governedAnswers === state.l3.governedAnswers &&
    (command.l4 === undefined || sameL4(command.l4, state.l4))
      ? []
      : [
          {
            type: 'cp.quality.settings.updated',
            data: {
              l3GovernedAnswers: command.l3.governedAnswers,
              ...(command.l4 ? { l4: command.l4 } : {}),
            },
          },
        ],
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
  settings: QualitySettingsChange;
}): Promise<QualitySettings> {
  await handleCommand({
    store: options.store,
    org: options.org,
    subject: QUALITY_SETTINGS_SUBJECT,
    decider: settingsDecider,
    command: {
      l3: { governedAnswers: options.settings.l3.governedAnswers },
      ...(options.settings.l4 ? { l4: options.settings.l4 } : {}),
    },
    actor: options.actor,
  });
  return readQualitySettings(options);
}
