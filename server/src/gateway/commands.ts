/**
 * The gateway's write side (gates, budget ledger, provider keys, providers, prices) from the commands
 * package, imported through this one module so the server names the package in a single place.
 */
export * from '../../../commands/src/budget/index.js';
export * from '../../../commands/src/cost/index.js';
export * from '../../../commands/src/gateway/index.js';
export * from '../../../commands/src/policy/index.js';
export * from '../../../commands/src/providers/index.js';
export * from '../../../commands/src/secrets/index.js';
