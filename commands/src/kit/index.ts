export { type Decider, type Folded, foldSubject, handleCommand, toNewEvents } from './decider.js';
export { type Fact, factsOf } from './fact.js';
