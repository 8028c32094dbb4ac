import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { foldSubject, handleCommand } from '../kit/decider.js';
import type { ActiveCapsule, CapsuleSource } from '../skills/capsules.js';
import { type EvolutionCommand, evolutionDecider } from './decide.js';
import { evolutionSubject } from './facts.js';
import type { EvolutionState } from './state.js';

/** Decides and appends one command on the skill's subject, deciding again if another writer got there first. */
export const handleEvolutionCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: EvolutionCommand;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: evolutionSubject(options.command.skill),
    decider: evolutionDecider,
    command: options.command,
    actor: options.actor,
  });

/** A skill's evolution in the org, folded from its own subject (never another org's stream). */
export const loadEvolution = async (options: {
  store: EventStore;
  org: string;
  skill: string;
}): Promise<{ state: EvolutionState; version: number }> =>
  foldSubject({
    store: options.store,
    org: options.org,
    subject: evolutionSubject(options.skill),
    decider: evolutionDecider,
  });

/** The active capsule of (org, skill), with its text, or undefined while none was activated. */
export async function activeCapsule(options: {
  store: EventStore;
  org: string;
  skill: string;
}): Promise<ActiveCapsule | undefined> {
  const { state } = await loadEvolution(options);
  const active = state.activeCapsuleId ? state.capsules.get(state.activeCapsuleId) : undefined;
  return active ? { id: active.capsuleId, text: active.text } : undefined;
}

/**
 * The skill runner's capsule hook, read from the log: a run composes its system prompt from the active
 * capsule of (org, skill) and names it on its events.
 */
export const evolutionCapsules = (store: EventStore): CapsuleSource => ({
  active: ({ org, skillId }) => activeCapsule({ store, org, skill: skillId }),
});
