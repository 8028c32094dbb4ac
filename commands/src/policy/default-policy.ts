import type { PolicyDocument } from './schema.js';

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
    dlp: {
      EMAIL: 'mask',
      PHONE: 'mask',
      CREDIT_CARD: 'mask',
      IBAN: 'mask',
      US_SSN: 'mask',
      IP_ADDRESS: 'mask',
      JWT: 'block',
      PRIVATE_KEY: 'block',
      API_SECRET: 'block',
    },
    hitl: { tools: [], timeoutSeconds: 900 },
  };
}
