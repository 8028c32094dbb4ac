import type { Actor, EventEnvelope, EventStore } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import type { DriftSignal } from './detector.js';
import { type DriftCommand, driftMonitor, driftSubject } from './monitor.js';

/** Decides and appends one command on its (skill, signal) subject, re-deciding if another writer won. */
export function handleDriftCommand(options: {
  store: EventStore;
  org: string;
  skill: string;
  signal: DriftSignal;
  actor: Actor;
  command: DriftCommand;
}): Promise<EventEnvelope[]> {
  return handleCommand({
    store: options.store,
    org: options.org,
    subject: driftSubject(options.skill, options.signal),
    decider: driftMonitor,
    command: options.command,
    actor: options.actor,
  });
}
