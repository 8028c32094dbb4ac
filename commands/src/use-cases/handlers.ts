import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { foldSubject, handleCommand } from '../kit/decider.js';
import { type UseCaseCommand, useCaseDecider } from './decide.js';
import { UseCaseError } from './errors.js';
import { useCaseSubject } from './facts.js';
import type { UseCaseState } from './state.js';

/** A use-case command, folded and appended at the version read, so of two racing approvals one wins. */
export const handleUseCaseCommand = (options: {
  store: EventStore;
  org: string;
  actor: Actor;
  command: UseCaseCommand;
}): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: useCaseSubject(options.command.useCaseId),
    decider: useCaseDecider,
    command: options.command,
    actor: options.actor,
  });

export type LiveUseCase = Exclude<UseCaseState, { status: 'none' }>;

/** A case of the org as its events leave it now, or null when the org has no such case. */
export async function loadUseCase(options: {
  store: EventStore;
  org: string;
  useCaseId: string;
}): Promise<{ state: LiveUseCase; version: number } | null> {
  const { state, version } = await foldSubject({
    store: options.store,
    org: options.org,
    subject: useCaseSubject(options.useCaseId),
    decider: useCaseDecider,
  });
  return state.status === 'none' ? null : { state, version };
}

/**
 * Whether the org has this use case (in any status, retired included). Other capabilities call it
 * before naming a case: it reads the org's own stream, so another org's case is never found.
 */
export const useCaseExists = async (options: {
  store: EventStore;
  org: string;
  useCaseId: string;
}): Promise<boolean> => (await loadUseCase(options)) !== null;

/** Throws `usecase_not_found` (404) unless the org has the case. */
export async function assertUseCaseExists(options: {
  store: EventStore;
  org: string;
  useCaseId: string;
}): Promise<void> {
  if (!(await useCaseExists(options)))
    throw new UseCaseError('usecase_not_found', `no use case ${options.useCaseId} in this org`);
}
