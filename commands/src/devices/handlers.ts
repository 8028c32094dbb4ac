import type { Actor, EventEnvelope, EventStore, InlineWrite } from '@proofpane/core';
import { handleCommand } from '../kit/decider.js';
import {
  type CreatePairingCodeCommand,
  type DeviceCommand,
  deviceDecider,
  type PairCommand,
  pairingCodeDecider,
} from './decide.js';
import { deviceSubject, pairingCodeSubject } from './facts.js';

interface Base {
  store: EventStore;
  org: string;
  /** The table rows the decided events imply, written in the append's transaction. */
  inline?: InlineWrite | undefined;
}

export const createPairingCode = (
  options: Base & { actor: Actor; command: CreatePairingCodeCommand },
): Promise<EventEnvelope[]> =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: pairingCodeSubject(options.command.codeId),
    decider: pairingCodeDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

const onDevice = (options: Base & { actor: Actor; command: DeviceCommand }) =>
  handleCommand({
    store: options.store,
    org: options.org,
    subject: deviceSubject(options.command.deviceId),
    decider: deviceDecider,
    command: options.command,
    actor: options.actor,
    inline: options.inline,
  });

/**
 * Exchanges a presented code for a new device. The pairing is the device's own first act, so it is
 * attributed to the device; the org is the code's.
 */
export const pairDevice = (options: Base & { command: PairCommand }): Promise<EventEnvelope[]> =>
  onDevice({ ...options, actor: { kind: 'device', id: options.command.deviceId } });

/** A rename or a revocation by an admin, folded and appended at the version read; `[]` when nothing changes. */
export const handleDeviceCommand = (
  options: Base & { actor: Actor; command: Exclude<DeviceCommand, PairCommand> },
): Promise<EventEnvelope[]> => onDevice(options);
