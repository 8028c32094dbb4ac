import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { hitlDecider, precedentQuery, type RequestCommand } from './decide.js';
import { HitlError } from './errors.js';
import type { HitlFact } from './facts.js';

const hitl = deciderSpec(hitlDecider);
const id = 'hitl_1';
const args = 'a'.repeat(64);
const now = new Date('2030-01-01T00:00:00.000Z');
const beforeDeadline = new Date('2030-01-01T00:05:00.000Z');
const atDeadline = new Date('2030-01-01T00:10:00.000Z');

const ask: RequestCommand = {
  type: 'request',
  requestId: id,
  now,
  kind: 'tool_call',
  target: 'tool/write',
  args: { path: 'docs/notes.md', content: 'x' },
  argsSha256: args,
  summary: 'write docs/notes.md',
  reason: 'tool "write" requires human approval',
  rulesMatched: ['hitl.tools'],
  dlp: {},
  timeoutSeconds: 600,
  autoApproveThreshold: 2.5,
  support: { score: 0, cited: [] },
};
const cited = [{ requestId: 'hitl_0', approvedBy: 'usr_1', similarity: 1 }];
const supported = { score: 3, cited };

const requested: HitlFact = {
  type: 'cp.hitl.requested',
  data: {
    requestId: id,
    kind: 'tool_call',
    target: 'tool/write',
    argsSha256: args,
    argClass: 'content,path:docs:md',
    risk: 'medium',
    summary: 'write docs/notes.md',
    reason: 'tool "write" requires human approval',
    rulesMatched: ['hitl.tools'],
    dlp: {},
    expiresAt: '2030-01-01T00:10:00.000Z',
  },
};
const resolved = (decision: 'approve' | 'deny', auto = false): HitlFact => ({
  type: 'cp.hitl.resolved',
  data: { requestId: id, decision, remember: false, auto, ...(auto ? { precedents: cited } : {}) },
});
const approved = resolved('approve');
const denied = resolved('deny');
const autoApproved = resolved('approve', true);
const expired: HitlFact = { type: 'cp.hitl.expired', data: { requestId: id, decision: 'deny' } };
const consumed: HitlFact = { type: 'cp.hitl.consumed', data: { requestId: id } };
const revoked: HitlFact = { type: 'cp.hitl.precedent.revoked', data: { requestId: id } };

const refusedWith = (code: string, status: number) => (error: unknown) =>
  error instanceof HitlError && error.code === code && error.status === status;

describe('opening an approval request', () => {
  it('records the request with its risk, argument class and deadline, and waits for a person', () => {
    hitl.given([]).when(ask).then([requested]);
  });

  it('keeps the reviewer text within the event bounds and names the agent scope when there is one', () => {
    const long = { ...ask, summary: 's'.repeat(2_500), reason: 'r'.repeat(600), agent: 'ci' };
    const [fact] = hitlDecider.decide(long, hitlDecider.initialState());
    expect(fact).toMatchObject({
      type: 'cp.hitl.requested',
      data: { summary: 's'.repeat(2_000), reason: 'r'.repeat(500), agent: 'ci' },
    });
  });

  it('approves at once, citing the precedents, when their support reaches the threshold', () => {
    hitl
      .given([])
      .when({ ...ask, support: supported })
      .then([requested, autoApproved]);
    hitl
      .given([])
      .when({ ...ask, support: { score: 2.5, cited } })
      .then([requested, autoApproved]);
  });

  it('leaves it to a person below the threshold, or with no approval to cite', () => {
    hitl
      .given([])
      .when({ ...ask, support: { score: 2.4, cited } })
      .then([requested]);
    hitl
      .given([])
      .when({ ...ask, support: { score: 3, cited: [] } })
      .then([requested]);
  });

  it('never auto-approves a high-risk request, whatever the support', () => {
    const shell = { ...ask, target: 'tool/bash', args: { command: 'ls' }, support: supported };
    const [fact, ...rest] = hitlDecider.decide(shell, hitlDecider.initialState());
    expect(fact).toMatchObject({ data: { risk: 'high' } });
    expect(rest).toEqual([]);
    const secret = { ...ask, dlp: { API_SECRET: 1 }, support: supported };
    expect(hitlDecider.decide(secret, hitlDecider.initialState())).toHaveLength(1);
  });

  it('refuses an id that is already taken', () => {
    hitl.given([requested]).when(ask).thenThrows(refusedWith('conflict', 409));
  });

  it('asks the precedents about the same target, argument class, text and risk it records', () => {
    expect(precedentQuery(ask)).toEqual({
      target: 'tool/write',
      argClass: 'content,path:docs:md',
      text: 'write docs/notes.md',
      risk: 'medium',
      threshold: 2.5,
    });
  });
});

describe('resolving a request', () => {
  const resolve = { type: 'resolve', requestId: id, remember: false, now: beforeDeadline } as const;

  it('records a person’s decision, with remember and the note', () => {
    hitl
      .given([requested])
      .when({ ...resolve, decision: 'approve', remember: true, note: 'fine' })
      .then([
        {
          type: 'cp.hitl.resolved',
          data: { requestId: id, decision: 'approve', remember: true, auto: false, note: 'fine' },
        },
      ]);
    hitl
      .given([requested])
      .when({ ...resolve, decision: 'deny', note: '' })
      .then([denied]);
  });

  it('refuses an unknown request', () => {
    hitl
      .given([])
      .when({ ...resolve, decision: 'approve' })
      .thenThrows(refusedWith('not_found', 404));
  });

  it('resolves once: a decided, auto-approved or expired request is not decided again', () => {
    for (const history of [
      [requested, approved],
      [requested, denied],
      [requested, autoApproved],
      [requested, expired],
    ]) {
      hitl
        .given(history)
        .when({ ...resolve, decision: 'deny' })
        .thenThrows(refusedWith('already_resolved', 409));
    }
  });

  it('refuses a decision at or after the deadline, before the sweep has denied it', () => {
    const late = hitl
      .given([requested])
      .when({ ...resolve, decision: 'approve', now: atDeadline })
      .thenThrows(refusedWith('already_resolved', 409));
    expect((late as Error).message).toMatch(/expired/);
  });
});

describe('using an approval', () => {
  const use = { type: 'consume', requestId: id, argsSha256: args } as const;

  it('lets the exact arguments through once, after a person or precedents approved', () => {
    hitl.given([requested, approved]).when(use).then([consumed]);
    hitl.given([requested, autoApproved]).when(use).then([consumed]);
    hitl.given([requested, approved, consumed]).when(use).thenThrows(refusedWith('hitl_used', 403));
  });

  it('refuses other arguments', () => {
    hitl
      .given([requested, approved])
      .when({ ...use, argsSha256: 'b'.repeat(64) })
      .thenThrows(refusedWith('hitl_mismatch', 403));
  });

  it('refuses an unknown, pending, denied or expired request', () => {
    hitl.given([]).when(use).thenThrows(refusedWith('hitl_unknown', 404));
    hitl.given([requested]).when(use).thenThrows(refusedWith('hitl_required', 403));
    hitl.given([requested, denied]).when(use).thenThrows(refusedWith('hitl_denied', 403));
    hitl.given([requested, expired]).when(use).thenThrows(refusedWith('hitl_denied', 403));
  });
});

describe('the timeout', () => {
  const expire = { type: 'expire', requestId: id } as const;

  it('denies a pending request by default', () => {
    hitl.given([requested]).when(expire).then([expired]);
  });

  it('does nothing to a request decided first, or already expired', () => {
    hitl.given([requested, approved]).when(expire).then([]);
    hitl.given([requested, denied]).when(expire).then([]);
    hitl.given([requested, expired]).when(expire).then([]);
    hitl.given([]).when(expire).then([]);
  });
});

describe('revoking a precedent', () => {
  const revoke = { type: 'revoke-precedent', requestId: id } as const;

  it('revokes a person’s decision, approval or denial', () => {
    hitl.given([requested, approved]).when(revoke).then([revoked]);
    hitl.given([requested, denied]).when(revoke).then([revoked]);
    hitl.given([requested, approved, consumed]).when(revoke).then([revoked]);
  });

  it('keeps an expired request revocable, as the queue always allowed', () => {
    hitl.given([requested, expired]).when(revoke).then([revoked]);
  });

  it('refuses what is no active precedent: unknown, pending, auto-approved or revoked already', () => {
    for (const history of [[], [requested], [requested, autoApproved], [requested, approved, revoked]]) {
      hitl.given(history).when(revoke).thenThrows(refusedWith('not_found', 404));
    }
  });
});

describe('the fold', () => {
  it('skips approver pairing events on the same prefix', () => {
    expect(hitlDecider.understands('cp.hitl.approver.paired')).toBe(false);
    expect(hitlDecider.understands('cp.hitl.consumed')).toBe(true);
  });
});
