import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairCommand } from './decide.js';
import { DeviceError } from './errors.js';
import { handleDeviceCommand, pairDevice } from './handlers.js';

const org = 'org_devices';
const admin = { kind: 'user' as const, id: 'usr_admin' };
const pair = (deviceId: string): PairCommand => ({
  type: 'pair',
  deviceId,
  code: { codeId: 'pc_1', expiresAt: new Date(Date.now() + 60_000), usedAt: null, agent: null },
  name: 'laptop',
  platform: 'linux',
  now: new Date(),
});

for (const driver of testDrivers) {
  describe(`device handlers on ${driver}`, () => {
    let test: TestDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('attributes a pairing to the device itself and later changes to the admin', async () => {
      const [paired] = await pairDevice({ store, org, command: pair('dev_a') });
      expect([paired?.type, paired?.subject, paired?.actor]).toEqual([
        'cp.device.paired',
        'device/dev_a',
        { kind: 'device', id: 'dev_a' },
      ]);
      const [renamed] = await handleDeviceCommand({
        store,
        org,
        actor: admin,
        command: { type: 'rename', deviceId: 'dev_a', name: 'desk' },
      });
      expect(renamed?.actor).toEqual(admin);
    });

    it('leaves no event when the row the pairing implies is refused, so a lost claim pairs nothing', async () => {
      const refused = pairDevice({
        store,
        org,
        command: pair('dev_b'),
        inline: async () => {
          throw new DeviceError('gone', 'this pairing code has expired or was already used');
        },
      });
      await expect(refused).rejects.toMatchObject({ code: 'gone', status: 410 });
      expect(await store.readSubject({ org, subject: 'device/dev_b' })).toEqual([]);
    });

    it("revokes once, and knows no other org's device", async () => {
      await pairDevice({ store, org, command: pair('dev_c') });
      const revoke = { type: 'revoke', deviceId: 'dev_c' } as const;
      expect(await handleDeviceCommand({ store, org, actor: admin, command: revoke })).toHaveLength(1);
      expect(await handleDeviceCommand({ store, org, actor: admin, command: revoke })).toEqual([]);
      await expect(
        handleDeviceCommand({ store, org: 'org_other', actor: admin, command: revoke }),
      ).rejects.toMatchObject({ code: 'not_found', status: 404 });
    });
  });
}
