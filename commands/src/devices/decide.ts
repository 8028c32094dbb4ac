import type { Decider } from '../kit/decider.js';
import { DeviceError } from './errors.js';
import { type DeviceFact, PAIRING_CODE_TTL_MS, type PairingCodeFact } from './facts.js';
import {
  type DeviceState,
  evolveDevice,
  evolvePairingCode,
  initialDeviceState,
  initialPairingCodeState,
  type PairingCodeState,
} from './state.js';

export interface CreatePairingCodeCommand {
  type: 'create-code';
  codeId: string;
  now: Date;
  /** The policy's agent scope a device paired with this code acts in; absent: the org-wide one. */
  agent?: string | undefined;
}

/** A pairing code's life: created once, with its deadline ten minutes after `now`. */
export const pairingCodeDecider: Decider<CreatePairingCodeCommand, PairingCodeState, PairingCodeFact> = {
  initialState: initialPairingCodeState,
  understands: (type) => type === 'cp.device.pairing-code.created',
  evolve: evolvePairingCode,
  decide(command, state) {
    if (state.status !== 'none')
      throw new DeviceError('conflict', `pairing code ${command.codeId} already exists`);
    return [
      {
        type: 'cp.device.pairing-code.created',
        data: {
          codeId: command.codeId,
          expiresAt: new Date(command.now.getTime() + PAIRING_CODE_TTL_MS).toISOString(),
          ...(command.agent ? { agent: command.agent } : {}),
        },
      },
    ];
  },
};

/**
 * The pairing code a daemon presented, as its table row holds it (looked up by the code's hash, which no
 * event carries); undefined when no code has that hash.
 */
export interface PresentedCode {
  codeId: string;
  expiresAt: Date;
  usedAt: Date | null;
  agent: string | null;
}

export interface PairCommand {
  type: 'pair';
  deviceId: string;
  code: PresentedCode | undefined;
  name: string;
  platform: string;
  now: Date;
}

export type DeviceCommand =
  | PairCommand
  | { type: 'rename'; deviceId: string; name: string }
  | { type: 'revoke'; deviceId: string };

const notFound = (deviceId: string) =>
  new DeviceError('not_found', `no device ${deviceId} in this organisation`);

function decidePair(command: PairCommand, state: DeviceState): DeviceFact[] {
  const { code } = command;
  if (!code)
    throw new DeviceError('not_found', 'no such pairing code; check it or ask an admin for a new one');
  // A code works once and only until its deadline; the instant of the deadline is already too late.
  if (code.usedAt !== null || code.expiresAt.getTime() <= command.now.getTime())
    throw new DeviceError('gone', 'this pairing code has expired or was already used');
  if (state.status !== 'none') throw new DeviceError('conflict', `device ${command.deviceId} already exists`);
  return [
    {
      type: 'cp.device.paired',
      data: {
        deviceId: command.deviceId,
        codeId: code.codeId,
        name: command.name,
        platform: command.platform,
        ...(code.agent ? { agent: code.agent } : {}),
      },
    },
  ];
}

/**
 * A device's lifecycle: paired with a code, renamed, revoked. Revoking twice is a no-op, so a retried
 * DELETE answers with the device as it is. A revoked device keeps its history and may still be renamed,
 * as the API has always allowed (its row stays listed).
 */
export const deviceDecider: Decider<DeviceCommand, DeviceState, DeviceFact> = {
  initialState: initialDeviceState,
  understands: (type) =>
    type === 'cp.device.paired' || type === 'cp.device.renamed' || type === 'cp.device.revoked',
  evolve: evolveDevice,
  decide(command, state) {
    switch (command.type) {
      case 'pair':
        return decidePair(command, state);
      case 'rename':
        if (state.status === 'none') throw notFound(command.deviceId);
        return [{ type: 'cp.device.renamed', data: { deviceId: command.deviceId, name: command.name } }];
      case 'revoke':
        if (state.status === 'none') throw notFound(command.deviceId);
        if (state.status === 'revoked') return [];
        return [{ type: 'cp.device.revoked', data: { deviceId: command.deviceId } }];
      default:
        return command satisfies never;
    }
  },
};
