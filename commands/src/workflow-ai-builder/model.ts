import { PROVIDER_IDS, type ProviderId } from '../providers/index.js';

const DEMO = { provider: 'demo', model: 'demo' } as const;

/** The model a proposal asks: `provider/model` as sent, or the offline demo when none or no known provider. */
export function builderModel(setting: string | undefined): { provider: ProviderId; model: string } {
  if (!setting) return DEMO;
  const slash = setting.indexOf('/');
  const provider = setting.slice(0, slash);
  if (slash <= 0 || slash === setting.length - 1 || !(PROVIDER_IDS as readonly string[]).includes(provider))
    return DEMO;
  return { provider: provider as ProviderId, model: setting.slice(slash + 1) };
}
