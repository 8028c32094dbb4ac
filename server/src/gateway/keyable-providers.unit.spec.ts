import { KEYABLE_PROVIDERS } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from './commands.js';

describe('the providers the contract lets an org key', () => {
  it('are every provider the gateway reaches but the offline demo', () => {
    expect([...KEYABLE_PROVIDERS]).toEqual(PROVIDER_IDS.filter((p) => p !== 'demo'));
  });
});
