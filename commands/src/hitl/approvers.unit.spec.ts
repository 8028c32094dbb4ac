import { catalogue } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { APPROVER_TOKEN_DAYS, approverPairedEvent } from './approvers.js';

describe('approver pairing', () => {
  it('is done by the admin who made the code, and expires the token 90 days after pairing', () => {
    const event = approverPairedEvent({
      approverId: 'apr_1',
      name: 'Ada’s laptop',
      pairedBy: 'usr_admin',
      pairedAt: new Date('2026-01-01T12:00:00.000Z'),
    });
    expect(APPROVER_TOKEN_DAYS).toBe(90);
    expect(event).toEqual({
      type: 'cp.hitl.approver.paired',
      subject: 'approver/apr_1',
      actor: { kind: 'user', id: 'usr_admin' },
      data: { approverId: 'apr_1', name: 'Ada’s laptop', expiresAt: '2026-04-01T12:00:00.000Z' },
    });
    expect(catalogue['cp.hitl.approver.paired'].safeParse(event.data).success).toBe(true);
  });
});
