/**
 * Repo Coder and Greenfield sessions (docs/coder.md): the session decider on `coder/<id>`, the four tools
 * the model sees, and the tool loop as a process over the governed model and tool paths.
 */
export { type CoderCommand, coderDecider, decideCoder } from './decide.js';
export { CoderError } from './errors.js';
export { CODER_FACT_TYPES, type CoderFact, coderBranch, coderSubject } from './facts.js';
export { type CoderLoopDeps, type CoderLoopOptions, type CoderToolResult, runCoderLoop } from './loop.js';
export { type CoderState, type CoderStatus, evolveCoder, initialCoderState } from './state.js';
export { CODER_TOOLS, sandboxCall, TOOL_GUIDE } from './tools.js';
