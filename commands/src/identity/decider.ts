import type { Decider as KitDecider } from '../kit/decider.js';
import type { Fact } from './facts.js';

export { type Folded, foldSubject, handleCommand, toNewEvents } from '../kit/decider.js';

/** An identity decider: the kit's decider over identity facts. */
export type Decider<Command, State> = KitDecider<Command, State, Fact>;
