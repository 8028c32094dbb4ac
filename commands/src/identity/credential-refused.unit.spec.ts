import { catalogue } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_AUDIT_EVERY_MS, credentialRefusedEvent, refusalAuditDue } from './credential-refused.js';

describe('a refused credential', () => {
  it.each([
    [
      { credential: 'api_key', reason: 'revoked', keyId: 'key_1' },
      'credential/api-key/key_1',
      { kind: 'apikey', id: 'key_1' },
    ],
    [
      { credential: 'session_token', reason: 'not_member', userId: 'usr_1' },
      'credential/session/usr_1',
      { kind: 'user', id: 'usr_1' },
    ],
    [
      { credential: 'device_token', reason: 'revoked', deviceId: 'dev_1' },
      'credential/device/dev_1',
      { kind: 'device', id: 'dev_1' },
    ],
  ] as const)('is recorded on its own subject by its holder: %o', (refused, subject, actor) => {
    const event = credentialRefusedEvent(refused);
    expect(event.subject).toBe(subject);
    expect(event.actor).toEqual(actor);
    expect(event.data).toEqual(refused);
    expect(catalogue['cp.identity.credential.refused'].safeParse(event.data).success).toBe(true);
  });

  it('is audited once a minute per credential, and again when the clock went back', () => {
    const at = 1_000_000;
    expect(refusalAuditDue(undefined, at)).toBe(true);
    expect(refusalAuditDue(at, at)).toBe(false);
    expect(refusalAuditDue(at, at + CREDENTIAL_AUDIT_EVERY_MS - 1)).toBe(false);
    expect(refusalAuditDue(at, at + CREDENTIAL_AUDIT_EVERY_MS)).toBe(true);
    expect(refusalAuditDue(at, at - 1)).toBe(true);
  });
});
