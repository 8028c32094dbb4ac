import type { HitlRequest } from '@proofpane/api';
import { type ActivityEntry, type InboxItem, itemKey } from '../shared/contract.js';
import { countdownDeadline } from './countdown.js';

const ACTIVITY_LIMIT = 50;

export interface ReconcileResult {
  added: InboxItem[];
  removed: InboxItem[];
}

/**
 * One inbox across every paired org. Each org's pending list from REST replaces what the inbox
 * held for that org: what is new is added (with its countdown deadline fixed on first sight),
 * what is gone was resolved somewhere, by someone.
 */
export class Inbox {
  readonly #items = new Map<string, InboxItem>();
  #activity: ActivityEntry[] = [];

  reconcile(options: {
    org: string;
    orgName: string;
    pending: HitlRequest[];
    now: Date;
    countdownSeconds: number;
  }): ReconcileResult {
    const { org, orgName, now } = options;
    const seen = new Set<string>();
    const added: InboxItem[] = [];
    for (const request of options.pending) {
      if (request.status !== 'pending') continue;
      const key = itemKey(org, request.id);
      seen.add(key);
      const existing = this.#items.get(key);
      if (existing) {
        this.#items.set(key, { ...existing, orgName, request });
        continue;
      }
      const deadline = countdownDeadline({
        now,
        seconds: options.countdownSeconds,
        expiresAt: request.expiresAt,
      }).toISOString();
      const item: InboxItem = { org, orgName, request, deadline };
      this.#items.set(key, item);
      added.push(item);
    }
    const removed: InboxItem[] = [];
    for (const [key, item] of this.#items) {
      if (item.org === org && !seen.has(key)) {
        this.#items.delete(key);
        removed.push(item);
      }
    }
    return { added, removed };
  }

  get(org: string, id: string): InboxItem | undefined {
    return this.#items.get(itemKey(org, id));
  }

  remove(org: string, id: string): InboxItem | undefined {
    const key = itemKey(org, id);
    const item = this.#items.get(key);
    this.#items.delete(key);
    return item;
  }

  dropOrg(org: string): InboxItem[] {
    return this.reconcile({ org, orgName: '', pending: [], now: new Date(0), countdownSeconds: 0 }).removed;
  }

  /** Most urgent first: the earliest default deny leads. */
  list(): InboxItem[] {
    return [...this.#items.values()].sort((a, b) => a.deadline.localeCompare(b.deadline));
  }

  record(entry: ActivityEntry): void {
    const others = this.#activity.filter((e) => !(e.org === entry.org && e.id === entry.id));
    this.#activity = [entry, ...others].slice(0, ACTIVITY_LIMIT);
  }

  get activity(): ActivityEntry[] {
    return [...this.#activity];
  }
}
