import type { Device } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { deviceLabel, newSessionBody, ON_SERVER, usableDevices } from './repo-place';

const device = (id: string, over: Partial<Device> = {}): Device => ({
  id,
  name: `box ${id}`,
  platform: 'linux',
  agent: null,
  createdAt: '2026-03-01T00:00:00.000Z',
  revokedAt: null,
  lastSeenAt: null,
  connected: true,
  ...over,
});

describe('where a new coder session finds its repository', () => {
  it('offers only connected devices that are not revoked', () => {
    const list = [
      device('a'),
      device('b', { connected: false }),
      device('c', { revokedAt: '2026-03-02T00:00:00.000Z' }),
    ];
    expect(usableDevices(list).map((d) => d.id)).toEqual(['a']);
  });

  it('sends a server path as a string, none for a new project, and a device path with its device', () => {
    expect(newSessionBody({ goal: 'g', repo: ' app ', place: ON_SERVER })).toEqual({
      goal: 'g',
      repo: 'app',
    });
    expect(newSessionBody({ goal: 'g', repo: '  ', place: ON_SERVER })).toEqual({ goal: 'g' });
    expect(newSessionBody({ goal: 'g', repo: 'calc ', place: 'dev_1' })).toEqual({
      goal: 'g',
      repo: { deviceId: 'dev_1', path: 'calc' },
    });
  });

  it("names a session's device, or shows its id once the org no longer lists it", () => {
    expect(deviceLabel('a', [device('a')])).toBe('box a');
    expect(deviceLabel('gone', [device('a')])).toBe('gone');
  });
});
