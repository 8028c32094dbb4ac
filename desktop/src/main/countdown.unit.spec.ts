import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/fakes.js';
import {
  CountdownTimers,
  countdownDeadline,
  countdownSeconds,
  DEFAULT_COUNTDOWN_SECONDS,
} from './countdown.js';
import { Inbox } from './inbox.js';

describe('countdown', () => {
  it('defaults to 60 s and clamps configured values', () => {
    expect(DEFAULT_COUNTDOWN_SECONDS).toBe(60);
    expect(countdownSeconds(undefined)).toBe(60);
    expect(countdownSeconds('abc')).toBe(60);
    expect(countdownSeconds('30')).toBe(30);
    expect(countdownSeconds(1)).toBe(5);
    expect(countdownSeconds(99_999)).toBe(3600);
  });

  it('ends at the earlier of the countdown and the request expiry', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    expect(countdownDeadline({ now, seconds: 60, expiresAt: '2026-03-02T10:00:00Z' }).toISOString()).toBe(
      '2026-03-02T09:01:00.000Z',
    );
    expect(countdownDeadline({ now, seconds: 60, expiresAt: '2026-03-02T09:00:20Z' }).toISOString()).toBe(
      '2026-03-02T09:00:20.000Z',
    );
  });

  it('fires once per armed key, and not after disarming', () => {
    const clock = new ManualClock();
    const timers = new CountdownTimers(clock);
    const fired: string[] = [];
    const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
    timers.arm({ key: 'a', deadline: at(5), now: clock.now(), onElapsed: () => fired.push('a') });
    timers.arm({ key: 'b', deadline: at(5), now: clock.now(), onElapsed: () => fired.push('b') });
    timers.arm({ key: 'a', deadline: at(10), now: clock.now(), onElapsed: () => fired.push('a2') });
    timers.disarm('b');
    clock.advance(60_000);
    expect(fired).toEqual(['a2']);
    expect(timers.armed).toEqual([]);
  });
});

describe('Inbox', () => {
  const request = (id: string, expiresAt = '2026-03-02T10:00:00Z') => ({
    id,
    kind: 'llm_call' as const,
    subject: `hitl/${id}`,
    target: 'openai/gpt-4.1',
    risk: 'low' as const,
    summary: id,
    reason: 'the policy asks a person',
    context: {},
    argsSha256: '0'.repeat(64),
    createdAt: '2026-03-02T09:00:00Z',
    expiresAt,
    status: 'pending' as const,
    consumed: false,
  });

  it('reconciles each org on its own and fixes the deadline on first sight', () => {
    const inbox = new Inbox();
    const t0 = new Date('2026-03-02T09:00:00Z');
    const t1 = new Date('2026-03-02T09:00:30Z');
    const common = { countdownSeconds: 60 };
    expect(
      inbox.reconcile({ ...common, org: 'a', orgName: 'A', pending: [request('1')], now: t0 }).added,
    ).toHaveLength(1);
    inbox.reconcile({ ...common, org: 'b', orgName: 'B', pending: [request('1'), request('2')], now: t1 });
    const again = inbox.reconcile({ ...common, org: 'a', orgName: 'A', pending: [request('1')], now: t1 });
    expect(again).toEqual({ added: [], removed: [] });
    expect(inbox.get('a', '1')?.deadline).toBe('2026-03-02T09:01:00.000Z');
    const gone = inbox.reconcile({ ...common, org: 'b', orgName: 'B', pending: [request('2')], now: t1 });
    expect(gone.removed.map((i) => `${i.org}/${i.request.id}`)).toEqual(['b/1']);
    expect(inbox.list().map((i) => `${i.org}/${i.request.id}`)).toEqual(['a/1', 'b/2']);
  });
});
