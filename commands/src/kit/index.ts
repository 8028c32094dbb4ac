export { type Decider, type Folded, foldSubject, handleCommand, toNewEvents } from './decider.js';
export { decisionSpec } from './decision-spec.js';
export { type Fact, factsOf } from './fact.js';
