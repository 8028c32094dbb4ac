import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { deviceDecider, type PairCommand, pairingCodeDecider } from './decide.js';
import { DeviceError } from './errors.js';
import type { DeviceFact, PairingCodeFact } from './facts.js';

const codes = deciderSpec(pairingCodeDecider);
const devices = deciderSpec(deviceDecider);
const now = new Date('2030-01-01T00:00:00.000Z');
const deviceId = 'dev_1';

const refusedWith = (code: string, status: number) => (error: unknown) =>
  error instanceof DeviceError && error.code === code && error.status === status;

const created: PairingCodeFact = {
  type: 'cp.device.pairing-code.created',
  data: { codeId: 'pc_1', expiresAt: '2030-01-01T00:10:00.000Z' },
};

describe('creating a pairing code', () => {
  it('records the code with a deadline ten minutes after now, and the agent scope it names', () => {
    codes.given([]).when({ type: 'create-code', codeId: 'pc_1', now }).then([created]);
    codes
      .given([])
      .when({ type: 'create-code', codeId: 'pc_1', now, agent: 'ci' })
      .then([{ ...created, data: { ...created.data, agent: 'ci' } }]);
  });

  it('refuses a code id that is already taken', () => {
    codes
      .given([created])
      .when({ type: 'create-code', codeId: 'pc_1', now })
      .thenThrows(refusedWith('conflict', 409));
  });
});

const pair: PairCommand = {
  type: 'pair',
  deviceId,
  code: { codeId: 'pc_1', expiresAt: new Date('2030-01-01T00:10:00.000Z'), usedAt: null, agent: null },
  name: 'laptop',
  platform: 'darwin',
  now: new Date('2030-01-01T00:09:59.999Z'),
};
const paired: DeviceFact = {
  type: 'cp.device.paired',
  data: { deviceId, codeId: 'pc_1', name: 'laptop', platform: 'darwin' },
};
const renamed: DeviceFact = { type: 'cp.device.renamed', data: { deviceId, name: 'desk' } };
const revoked: DeviceFact = { type: 'cp.device.revoked', data: { deviceId } };

describe('pairing a device', () => {
  it('pairs with an unused code before its deadline, in the scope the code names', () => {
    devices.given([]).when(pair).then([paired]);
    devices
      .given([])
      .when({ ...pair, code: { ...pair.code!, agent: 'ci' } })
      .then([{ ...paired, data: { ...paired.data, agent: 'ci' } }]);
  });

  it('refuses a code that was already used: a code works once', () => {
    devices
      .given([])
      .when({ ...pair, code: { ...pair.code!, usedAt: new Date('2030-01-01T00:01:00.000Z') } })
      .thenThrows(refusedWith('gone', 410));
  });

  it('refuses a code at and after its deadline', () => {
    devices
      .given([])
      .when({ ...pair, now: new Date('2030-01-01T00:10:00.000Z') })
      .thenThrows(refusedWith('gone', 410));
    devices
      .given([])
      .when({ ...pair, now: new Date('2030-01-01T01:00:00.000Z') })
      .thenThrows(refusedWith('gone', 410));
  });

  it('refuses a code nobody created with not_found, so a typo reads differently from a spent code', () => {
    devices
      .given([])
      .when({ ...pair, code: undefined })
      .thenThrows(refusedWith('not_found', 404));
  });

  it('refuses a device id that is already taken', () => {
    devices.given([paired]).when(pair).thenThrows(refusedWith('conflict', 409));
  });
});

describe('renaming and revoking a device', () => {
  it('renames a paired device, and refuses a device the org never paired', () => {
    devices.given([paired]).when({ type: 'rename', deviceId, name: 'desk' }).then([renamed]);
    devices
      .given([])
      .when({ type: 'rename', deviceId, name: 'desk' })
      .thenThrows(refusedWith('not_found', 404));
  });

  it('still renames a revoked device, as the API always has: its row stays listed under its name', () => {
    devices.given([paired, revoked]).when({ type: 'rename', deviceId, name: 'desk' }).then([renamed]);
  });

  it('revokes once; revoking again records nothing', () => {
    devices.given([paired, renamed]).when({ type: 'revoke', deviceId }).then([revoked]);
    devices.given([paired, revoked]).when({ type: 'revoke', deviceId }).then([]);
    devices.given([paired, revoked, renamed]).when({ type: 'revoke', deviceId }).then([]);
    devices.given([]).when({ type: 'revoke', deviceId }).thenThrows(refusedWith('not_found', 404));
  });

  it('names the device in the refusal of an unknown one', () => {
    const error = devices.given([]).when({ type: 'revoke', deviceId }).thenThrows(DeviceError);
    expect((error as Error).message).toBe('no device dev_1 in this organisation');
  });
});
