import type { DeviceFact, PairingCodeFact } from './facts.js';

export type PairingCodeState = { status: 'none' } | { status: 'created'; expiresAt: string };

export const initialPairingCodeState = (): PairingCodeState => ({ status: 'none' });

export const evolvePairingCode = (_state: PairingCodeState, fact: PairingCodeFact): PairingCodeState => ({
  status: 'created',
  expiresAt: fact.data.expiresAt,
});

export type DeviceStatus = 'none' | 'paired' | 'revoked';

/** What the rules of one device depend on, folded from its events. */
export interface DeviceState {
  status: DeviceStatus;
}

export const initialDeviceState = (): DeviceState => ({ status: 'none' });

export function evolveDevice(state: DeviceState, fact: DeviceFact): DeviceState {
  switch (fact.type) {
    case 'cp.device.paired':
      return { status: 'paired' };
    case 'cp.device.renamed':
      return state;
    case 'cp.device.revoked':
      return { status: 'revoked' };
    default:
      return fact satisfies never;
  }
}
