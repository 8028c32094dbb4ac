import { DEFAULT_DLP_RULES, LOCAL_TOOLS_NEEDING_APPROVAL, type PolicyDocument } from './schema.js';

/**
 * The policy of a new org: every provider (the offline `demo` one included) and model, personal data
 * masked before it leaves, credentials blocked outright, and a person approving in-process `bash`,
 * `write` and `edit`.
 */
export function defaultPolicy(): PolicyDocument {
  return {
    providers: ['*'],
    models: ['*'],
    tools: ['*'],
    agents: {},
    blockedPatterns: [],
    media: 'allow',
    dlp: { ...DEFAULT_DLP_RULES },
    hitl: { tools: [], localTools: [...LOCAL_TOOLS_NEEDING_APPROVAL], timeoutSeconds: 900 },
  };
}
