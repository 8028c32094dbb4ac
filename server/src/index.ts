export { type BuildAppOptions, buildApp } from './app.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export { openRuntime, type Runtime } from './runtime/runtime.js';
