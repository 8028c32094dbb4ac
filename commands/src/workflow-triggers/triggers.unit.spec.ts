import type { EventEnvelope } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import type { PinnedWorkflow } from '../workflow-runs/decide.js';
import { runsForEvent } from './event-triggers.js';
import { hookDecider } from './hook-decide.js';
import { checkHookDelivery, derivedRunId, hookSecret, signHookBody } from './hook-signature.js';
import { ScheduleBook } from './schedules.js';

const workflow: PinnedWorkflow = {
  id: 'wf_1',
  name: 'nightly',
  version: 3,
  sha256: 'b'.repeat(64),
  graph: {
    nodes: [{ id: 't', type: 'trigger', config: { kind: 'schedule', cron: '0 * * * *' } }],
    edges: [],
  },
};

describe('webhook hooks', () => {
  const spec = deciderSpec(hookDecider);
  const created = {
    type: 'cp.workflow.hook.created',
    data: { hookId: 'hk_1', workflowId: 'wf_1', tokenSha256: 'c'.repeat(64) },
  } as const;
  const notFound = (error: unknown) => (error as { code?: string }).code === 'not_found';

  it('is created once, revoked once, and records refusals only while it exists', () => {
    spec
      .given([])
      .when({ type: 'create', hookId: 'hk_1', workflowId: 'wf_1', tokenSha256: 'c'.repeat(64) })
      .then([created]);
    spec
      .given([created])
      .when({ type: 'create', hookId: 'hk_1', workflowId: 'wf_1', tokenSha256: 'c'.repeat(64) })
      .thenThrows((e) => (e as { code?: string }).code === 'conflict');
    spec
      .given([created])
      .when({ type: 'revoke', hookId: 'hk_1' })
      .then([{ type: 'cp.workflow.hook.revoked', data: { hookId: 'hk_1' } }]);
    spec
      .given([created, { type: 'cp.workflow.hook.revoked', data: { hookId: 'hk_1' } }])
      .when({ type: 'revoke', hookId: 'hk_1' })
      .then([]);
    spec.given([]).when({ type: 'revoke', hookId: 'hk_1' }).thenThrows(notFound);
    spec
      .given([created])
      .when({ type: 'refuse', hookId: 'hk_1', reason: 'bad_signature' })
      .then([{ type: 'cp.workflow.hook.refused', data: { hookId: 'hk_1', reason: 'bad_signature' } }]);
    spec.given([]).when({ type: 'refuse', hookId: 'hk_1', reason: 'replayed' }).thenThrows(notFound);
  });

  it('accepts a delivery signed with the token’s secret and refuses a tampered, unsigned or stale one', () => {
    const masterKey = Buffer.alloc(32, 1);
    const secret = hookSecret({ masterKey, token: 'tok' });
    expect(secret).not.toBe(hookSecret({ masterKey, token: 'other' }));
    expect(secret).not.toBe(hookSecret({ masterKey: Buffer.alloc(32, 2), token: 'tok' }));
    const now = new Date('2026-01-01T00:00:00Z');
    const timestamp = String(now.getTime() / 1000);
    const body = '{"ticket":42}';
    const signature = signHookBody({ secret, timestamp, body });
    expect(checkHookDelivery({ secret, timestamp, signature, body, now })).toBe('ok');
    expect(checkHookDelivery({ secret, timestamp, signature, body: '{"ticket":43}', now })).toBe(
      'bad_signature',
    );
    expect(
      checkHookDelivery({ secret, timestamp: String(Number(timestamp) + 1), signature, body, now }),
    ).toBe('bad_signature');
    expect(checkHookDelivery({ secret, timestamp, signature: undefined, body, now })).toBe('bad_signature');
    expect(checkHookDelivery({ secret, timestamp: 'soon', signature, body, now })).toBe('bad_signature');
    const later = new Date(now.getTime() + 301_000);
    expect(checkHookDelivery({ secret, timestamp, signature, body, now: later })).toBe('stale_timestamp');
  });

  it('derives the same run id from the same cause and another from any other', () => {
    expect(derivedRunId('hook', 'hk_1', 'sig')).toBe(derivedRunId('hook', 'hk_1', 'sig'));
    expect(derivedRunId('hook', 'hk_1', 'sig')).not.toBe(derivedRunId('hook', 'hk_1', 'sig2'));
    expect(derivedRunId('a', 'bc')).not.toBe(derivedRunId('ab', 'c'));
    expect(derivedRunId('x')).toMatch(/^wfr_[0-9a-f]{32}$/);
  });
});

describe('schedules', () => {
  it('fires each tick once, from the first tick after the schedule was seen, with one run id per tick', () => {
    const book = new ScheduleBook();
    book.update([{ org: 'org_a', workflow, cron: '0 * * * *' }], new Date('2026-01-01T10:30:00Z'));
    expect(book.due(new Date('2026-01-01T10:59:59Z'))).toEqual([]);
    const first = book.due(new Date('2026-01-01T11:00:00Z'));
    expect(first.map((d) => d.tick)).toEqual(['2026-01-01T11:00:00.000Z']);
    expect(book.due(new Date('2026-01-01T11:00:30Z'))).toEqual([]);
    const second = book.due(new Date('2026-01-01T12:00:01Z'));
    expect(second.map((d) => d.tick)).toEqual(['2026-01-01T12:00:00.000Z']);
    expect(second[0]!.runId).not.toBe(first[0]!.runId);
    // Another process seeing the same schedule derives the same id for the same tick.
    const other = new ScheduleBook();
    other.update([{ org: 'org_a', workflow, cron: '0 * * * *' }], new Date('2026-01-01T10:00:05Z'));
    expect(other.due(new Date('2026-01-01T11:00:00Z'))[0]!.runId).toBe(first[0]!.runId);
  });

  it('drops a schedule that is no longer published and ignores an expression croner refuses', () => {
    const book = new ScheduleBook();
    book.update(
      [
        { org: 'org_a', workflow, cron: '*/5 * * * *' },
        { org: 'org_a', workflow: { ...workflow, id: 'wf_bad' }, cron: 'not a cron' },
      ],
      new Date('2026-01-01T10:00:00Z'),
    );
    expect(book.size).toBe(1);
    book.update([], new Date('2026-01-01T10:01:00Z'));
    expect(book.due(new Date('2026-01-01T11:00:00Z'))).toEqual([]);
  });
});

describe('event triggers', () => {
  const event = (type: string, meta: Record<string, string> = {}): EventEnvelope =>
    ({
      org: 'org_a',
      seq: 7,
      id: 'ev_1',
      type,
      subject: 'hitl/h1',
      subjectVersion: 2,
      time: '2026-01-01T00:00:00.000Z',
      actor: { kind: 'user', id: 'usr_1' },
      data: { requestId: 'h1' },
      meta,
      prev: '0'.repeat(64),
      hash: '1'.repeat(64),
    }) as EventEnvelope;
  const triggers = [
    { org: 'org_a', workflow, eventType: 'cp.hitl.resolved' },
    { org: 'org_b', workflow, eventType: 'cp.hitl.resolved' },
  ];

  it('starts a run of the org’s workflows listening for the type, with the event as input, once per event', () => {
    const runs = runsForEvent(triggers, event('cp.hitl.resolved'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      org: 'org_a',
      runId: derivedRunId('event', 'org_a', 'wf_1', 'ev_1'),
      input: {
        event: { id: 'ev_1', type: 'cp.hitl.resolved', subject: 'hitl/h1', data: { requestId: 'h1' } },
      },
    });
    expect(runsForEvent(triggers, event('cp.hitl.expired'))).toEqual([]);
  });

  it('starts nothing for events recorded inside a run or by the engine, so no workflow loops on itself', () => {
    expect(runsForEvent(triggers, event('cp.hitl.resolved', { runId: 'wfr_1' }))).toEqual([]);
    expect(
      runsForEvent([{ org: 'org_a', workflow, eventType: 'cp.run.completed' }], event('cp.run.completed')),
    ).toEqual([]);
  });
});
