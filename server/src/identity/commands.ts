/** The identity write side, for server modules that imported it from here before the package barrel existed. */
export * from '@proofpane/commands';
