/**
 * The identity write side (deciders and command handlers) from the commands package.
 * Imported through this one module so the server names the package in a single place.
 */
export * from '../../../commands/src/identity/index.js';
