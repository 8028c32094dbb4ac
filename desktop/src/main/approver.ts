import type { HitlRequest } from '@proofpane/api';
import {
  type ActivityEntry,
  type ApproverState,
  type InboxItem,
  itemKey,
  type Outcome,
  type PairInput,
  type ResolveInput,
} from '../shared/contract.js';
import type { FetchLike } from './api-client.js';
import { CountdownTimers, type Scheduler } from './countdown.js';
import { DesktopError, isDesktopError } from './errors.js';
import { Inbox } from './inbox.js';
import { OrgLink } from './org-link.js';
import { pairWithCode } from './pairing.js';
import type { EventSourceFactory } from './sse-connection.js';
import type { Account, TokenVault } from './token-vault.js';

const RETRY_DENY_MS = 5_000;

export const TIMED_OUT_NOTE = 'Denied by default: the approver countdown elapsed.';

export interface ApproverOptions {
  vault: TokenVault;
  fetch: FetchLike;
  eventSource: EventSourceFactory;
  scheduler: Scheduler;
  now: () => Date;
  countdownSeconds: number;
  /** New requests arrived: raise a native notification and bring the dialog forward. */
  onArrived: (items: InboxItem[]) => void;
  /** The state changed: push it to the renderer. */
  onChange: (state: ApproverState) => void;
}

const failed = (error: unknown): Outcome =>
  error instanceof DesktopError
    ? { ok: false, code: error.code, message: error.message }
    : { ok: false, code: 'server_error', message: error instanceof Error ? error.message : String(error) };

/**
 * The approver's main-process core: the paired orgs, one inbox across them, the default-deny
 * countdowns and the resolutions. Electron-free, so it runs under test with fakes.
 */
export class Approver {
  readonly #options: ApproverOptions;
  readonly #links = new Map<string, OrgLink>();
  readonly #inbox = new Inbox();
  readonly #timers: CountdownTimers;
  readonly #inFlight = new Set<string>();
  readonly #mine = new Set<string>();

  constructor(options: ApproverOptions) {
    this.#options = options;
    this.#timers = new CountdownTimers(options.scheduler);
  }

  async start(): Promise<void> {
    for (const account of await this.#options.vault.list()) this.#link(account);
    this.#emit();
  }

  stop(): void {
    for (const link of this.#links.values()) link.stop();
    this.#timers.disarmAll();
  }

  state(): ApproverState {
    return {
      accounts: [...this.#links.values()].map((link) => link.view()),
      pending: this.#inbox.list(),
      activity: this.#inbox.activity,
      countdownSeconds: this.#options.countdownSeconds,
    };
  }

  /** Re-reads every org's pending list now (e.g. on resume from sleep). */
  async reconcileAll(): Promise<void> {
    await Promise.all([...this.#links.values()].map((link) => link.reconcile()));
  }

  async pair(input: PairInput): Promise<Outcome> {
    try {
      const account = await pairWithCode({
        vault: this.#options.vault,
        fetch: this.#options.fetch,
        ...input,
      });
      this.#unlink(account.org);
      this.#link(account);
      this.#emit();
      return { ok: true, message: `Paired with ${account.orgName}.` };
    } catch (error) {
      return failed(error);
    }
  }

  async unpair(org: string): Promise<Outcome> {
    this.#unlink(org);
    await this.#options.vault.remove(org);
    this.#emit();
    return { ok: true };
  }

  async resolve(input: ResolveInput): Promise<Outcome> {
    const key = itemKey(input.org, input.id);
    const item = this.#inbox.get(input.org, input.id);
    const link = this.#links.get(input.org);
    if (!item || !link) return failed(new DesktopError('already_resolved'));
    if (this.#inFlight.has(key)) return { ok: true, message: 'Already being resolved.' };
    this.#inFlight.add(key);
    this.#timers.disarm(key);
    const decision = input.timedOut ? 'deny' : input.decision;
    try {
      const resolved = await link.client.resolve({
        id: input.id,
        decision,
        remember: decision === 'approve' && input.remember === true,
        ...(input.timedOut ? { note: TIMED_OUT_NOTE } : {}),
      });
      this.#mine.add(key);
      this.#inbox.remove(input.org, input.id);
      this.#record(item, resolved, true);
      return { ok: true };
    } catch (error) {
      if (isDesktopError(error, 'already_resolved') || isDesktopError(error, 'request_unknown')) {
        void link.reconcile();
      } else if (isDesktopError(error, 'token_rejected')) {
        link.markRepair();
      } else {
        const still = this.#inbox.get(input.org, input.id);
        if (still) this.#arm(still, input.timedOut ? RETRY_DENY_MS : undefined);
      }
      return failed(error);
    } finally {
      this.#inFlight.delete(key);
      this.#emit();
    }
  }

  #link(account: Account): void {
    const link = new OrgLink({
      account,
      fetch: this.#options.fetch,
      eventSource: this.#options.eventSource,
      scheduler: this.#options.scheduler,
      now: this.#options.now,
      onPending: (from, pending) => this.#reconciled(from, pending),
      onChange: () => {
        if (link.needsRepair) this.#drop(account.org);
        this.#emit();
      },
    });
    this.#links.set(account.org, link);
    link.start();
  }

  #unlink(org: string): void {
    this.#links.get(org)?.stop();
    this.#links.delete(org);
    this.#drop(org);
  }

  #drop(org: string): void {
    for (const item of this.#inbox.dropOrg(org)) this.#timers.disarm(itemKey(item.org, item.request.id));
  }

  #reconciled(link: OrgLink, pending: HitlRequest[]): void {
    const { added, removed } = this.#inbox.reconcile({
      org: link.account.org,
      orgName: link.account.orgName,
      pending,
      now: this.#options.now(),
      countdownSeconds: this.#options.countdownSeconds,
    });
    for (const item of added) this.#arm(item);
    for (const item of removed) {
      const key = itemKey(item.org, item.request.id);
      this.#timers.disarm(key);
      if (!this.#mine.has(key)) void this.#recordElsewhere(link, item);
    }
    if (added.length > 0) this.#options.onArrived(added);
    if (added.length > 0 || removed.length > 0) this.#emit();
  }

  async #recordElsewhere(link: OrgLink, item: InboxItem): Promise<void> {
    try {
      this.#record(item, await link.client.get(item.request.id), false);
    } catch {
      this.#record(item, { ...item.request, status: 'expired' }, false);
    }
    this.#emit();
  }

  #record(item: InboxItem, resolved: HitlRequest, byMe: boolean): void {
    const resolution = resolved.resolution;
    const entry: ActivityEntry = {
      org: item.org,
      orgName: item.orgName,
      id: item.request.id,
      summary: item.request.summary,
      status: resolved.status,
      by: resolution?.by ?? (byMe ? 'you' : 'another approver'),
      byMe,
      auto: resolution?.auto ?? false,
      at: resolution?.at ?? this.#options.now().toISOString(),
      ...(resolution?.note ? { note: resolution.note } : {}),
    };
    this.#inbox.record(entry);
  }

  #arm(item: InboxItem, retryInMs?: number): void {
    const now = this.#options.now();
    const deadline = retryInMs === undefined ? new Date(item.deadline) : new Date(now.getTime() + retryInMs);
    this.#timers.arm({
      key: itemKey(item.org, item.request.id),
      deadline,
      now,
      onElapsed: () =>
        void this.resolve({ org: item.org, id: item.request.id, decision: 'deny', timedOut: true }),
    });
  }

  #emit(): void {
    this.#options.onChange(this.state());
  }
}
