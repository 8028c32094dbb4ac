export { type RunCommand, RunError, type RunState, runDecider } from './decider.js';
