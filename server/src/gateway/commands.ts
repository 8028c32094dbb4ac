/**
 * The gateway's write side (gates, budget ledger, provider keys, providers, prices) from the commands
 * package, imported through this one module so the server names the package in a single place.
 */
export * from '@proofpane/commands';
