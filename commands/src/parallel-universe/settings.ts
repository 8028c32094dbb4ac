import type { Actor, EventData, EventStore } from '@proofpane/core';
import { PU_SETTINGS_SUBJECT } from './facts.js';

export type PuSettings = EventData<'cp.pu.settings.updated'>;

/** Off until an admin turns it on; an hourly fetch, thirty days to promote, one dollar of triage a month. */
export const PU_DEFAULTS: PuSettings = {
  enabled: false,
  intervalMinutes: 60,
  staleAfterDays: 30,
  monthlyBudgetMicros: 1_000_000,
};

/** The org's settings: the last update on `pu-settings`, or the defaults. */
export async function loadPuSettings(options: { store: EventStore; org: string }): Promise<PuSettings> {
  const events = await options.store.readSubject({ org: options.org, subject: PU_SETTINGS_SUBJECT });
  const last = events.filter((e) => e.type === 'cp.pu.settings.updated').at(-1);
  return last ? (last.data as PuSettings) : PU_DEFAULTS;
}

export async function updatePuSettings(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  settings: PuSettings;
}): Promise<PuSettings> {
  await options.store.append({
    org: options.org,
    events: [
      {
        type: 'cp.pu.settings.updated',
        subject: PU_SETTINGS_SUBJECT,
        actor: options.actor,
        data: options.settings,
      },
    ],
  });
  return options.settings;
}
