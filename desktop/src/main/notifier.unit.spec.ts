import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../shared/contract.js';
import { type NotificationConstructorLike, notifyArrivals } from './notifier.js';

const item = (id: string, orgName: string): InboxItem => ({
  org: `org_${orgName}`,
  orgName,
  deadline: '2026-03-02T09:01:00Z',
  request: {
    id,
    kind: 'tool_call',
    subject: `hitl/${id}`,
    target: 'payments.transfer',
    risk: 'high',
    summary: `Wire funds ${id}`,
    reason: 'payments need a person',
    context: {},
    argsSha256: '0'.repeat(64),
    createdAt: '2026-03-02T09:00:00Z',
    expiresAt: '2026-03-02T09:10:00Z',
    status: 'pending',
    consumed: false,
  },
});

function fakeNotification(supported = true) {
  const shown: { title: string; body: string; click?: () => void }[] = [];
  const Fake = class {
    readonly entry: { title: string; body: string; click?: () => void };
    constructor(options: { title: string; body: string }) {
      this.entry = { title: options.title, body: options.body };
    }
    static isSupported() {
      return supported;
    }
    on(_event: 'click', listener: () => void) {
      this.entry.click = listener;
      return this;
    }
    show() {
      shown.push(this.entry);
    }
  } satisfies NotificationConstructorLike;
  return { Fake, shown };
}

describe('notifyArrivals', () => {
  it('shows one notification per request that brings the window forward on click', () => {
    const { Fake, shown } = fakeNotification();
    let focused = 0;
    notifyArrivals({ Notification: Fake, items: [item('1', 'Acme')], onClick: () => focused++ });
    expect(shown).toEqual([
      expect.objectContaining({ title: 'Approval needed · Acme', body: 'Wire funds 1 (high risk)' }),
    ]);
    shown[0]?.click?.();
    expect(focused).toBe(1);
  });

  it('summarises a burst in one notification, and stays quiet where unsupported', () => {
    const { Fake, shown } = fakeNotification();
    const burst = ['1', '2', '3', '4'].map((id) => item(id, id === '4' ? 'Globex' : 'Acme'));
    notifyArrivals({ Notification: Fake, items: burst, onClick: () => {} });
    expect(shown.map((s) => [s.title, s.body])).toEqual([['4 approvals needed', 'From Acme, Globex.']]);
    const none = fakeNotification(false);
    expect(notifyArrivals({ Notification: none.Fake, items: burst, onClick: () => {} })).toBe(0);
    expect(none.shown).toEqual([]);
  });
});
