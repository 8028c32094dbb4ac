import { DEFAULT_DLP_RULES, type PolicyDocument } from './schema.js';

/**
 * The policy of a new org: every provider (the offline `demo` one included) and model, personal data
 * masked before it leaves, credentials blocked outright.
 */
export function defaultPolicy(): PolicyDocument {
  return {
    providers: ['*'],
    models: ['*'],
    tools: ['*'],
    agents: {},
    blockedPatterns: [],
    dlp: { ...DEFAULT_DLP_RULES },
    hitl: { tools: [], timeoutSeconds: 900 },
  };
}
