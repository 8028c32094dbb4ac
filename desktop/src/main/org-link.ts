import type { HitlRequest } from '@proofpane/api';
import type { AccountStatus, AccountView } from '../shared/contract.js';
import { type FetchLike, HitlClient } from './api-client.js';
import type { Scheduler } from './countdown.js';
import { DESKTOP_ERRORS, isDesktopError } from './errors.js';
import { daysUntilExpiry } from './pairing.js';
import { type EventSourceFactory, SseConnection } from './sse-connection.js';
import type { Account } from './token-vault.js';

const EXPIRY_WARNING_DAYS = 14;

/**
 * One paired org: its REST client, its SSE stream and its reconcile loop. Reconciles never
 * overlap; a wake-up during one marks the next, so a burst of events costs two fetches.
 */
export class OrgLink {
  readonly account: Account;
  readonly client: HitlClient;
  readonly #connection: SseConnection;
  readonly #onPending: (link: OrgLink, pending: HitlRequest[]) => void;
  readonly #onChange: () => void;
  readonly #now: () => Date;
  #status: AccountStatus = 'connecting';
  #message: string | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: {
    account: Account;
    fetch: FetchLike;
    eventSource: EventSourceFactory;
    scheduler: Scheduler;
    now: () => Date;
    onPending: (link: OrgLink, pending: HitlRequest[]) => void;
    onChange: () => void;
  }) {
    this.account = options.account;
    this.#onPending = options.onPending;
    this.#onChange = options.onChange;
    this.#now = options.now;
    this.client = new HitlClient({
      fetch: options.fetch,
      serverUrl: options.account.serverUrl,
      token: options.account.token,
    });
    this.#connection = new SseConnection({
      factory: options.eventSource,
      url: this.client.streamUrl,
      authorization: this.client.authorization,
      scheduler: options.scheduler,
      onWake: () => void this.reconcile(),
      onStatus: (status) => {
        if (status === 'unauthorized') this.markRepair();
        else this.#setStatus(status);
      },
    });
  }

  start(): void {
    if (Date.parse(this.account.expiresAt) <= this.#now().getTime()) {
      this.markRepair();
      return;
    }
    this.#connection.start();
  }

  stop(): void {
    this.#stopped = true;
    this.#connection.stop();
  }

  get needsRepair(): boolean {
    return this.#status === 'repair';
  }

  /** The token was refused or has lapsed: stop listening and ask the person to pair again. */
  markRepair(): void {
    this.#connection.stop();
    this.#status = 'repair';
    this.#message = DESKTOP_ERRORS.token_rejected;
    this.#onChange();
  }

  reconcile(): Promise<void> {
    if (this.#stopped || this.needsRepair) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        const pending = await this.client.listPending();
        if (this.#stopped) return;
        this.#onPending(this, pending);
      } catch (error) {
        if (isDesktopError(error, 'token_rejected')) {
          this.markRepair();
          return;
        }
        this.#message = error instanceof Error ? error.message : String(error);
        this.#onChange();
      }
    } while (this.#again && !this.#stopped);
  }

  view(): AccountView {
    const days = daysUntilExpiry(this.account.expiresAt, this.#now());
    const hint =
      this.#status !== 'repair' && days <= EXPIRY_WARNING_DAYS
        ? `The approver token expires in ${days} day(s); pair again before then.`
        : undefined;
    const message = this.#message ?? hint;
    return {
      org: this.account.org,
      orgName: this.account.orgName,
      serverUrl: this.account.serverUrl,
      expiresAt: this.account.expiresAt,
      status: this.#status,
      ...(message ? { message } : {}),
    };
  }

  #setStatus(status: AccountStatus): void {
    if (this.#status === 'repair') return;
    this.#status = status;
    if (status === 'connected') this.#message = undefined;
    this.#onChange();
  }
}
