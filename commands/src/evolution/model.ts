import type { ProviderId } from '../providers/index.js';
import { PROVIDER_IDS } from '../providers/index.js';

const DEMO = { provider: 'demo', model: 'demo' } as const;

/** The model a dream or replay calls: the settings' `provider/model`, or the offline demo. */
export function evolutionModel(setting: string | null): { provider: ProviderId; model: string } {
  if (setting === null) return DEMO;
  const slash = setting.indexOf('/');
  const provider = setting.slice(0, slash);
  if (slash <= 0 || !(PROVIDER_IDS as readonly string[]).includes(provider)) return DEMO;
  return { provider: provider as ProviderId, model: setting.slice(slash + 1) };
}
