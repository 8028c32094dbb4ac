import type { EventType } from '@proofpane/core';
import type { Fact as KitFact } from '../kit/fact.js';

type IdentityType = Extract<EventType, `cp.identity.${string}`>;

/** An identity event as a decider sees it: its type and data, no envelope. */
export type Fact<T extends IdentityType = IdentityType> = KitFact<T>;

export type IdentityEventType = IdentityType;

/** The identity deciders fold identity events only; a subject's other events are skipped. */
export const isIdentityFact = (type: string): boolean => type.startsWith('cp.identity.');
