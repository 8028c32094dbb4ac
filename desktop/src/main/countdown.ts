/** The countdown an approver gets before a request is denied by default. */
export const DEFAULT_COUNTDOWN_SECONDS = 60;
const MIN_COUNTDOWN_SECONDS = 5;
const MAX_COUNTDOWN_SECONDS = 3600;

/** A configured value, or the default when it is missing or not a number; clamped to 5 s … 1 h. */
export function countdownSeconds(configured: unknown): number {
  const value = typeof configured === 'string' ? Number(configured) : configured;
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_COUNTDOWN_SECONDS;
  return Math.min(MAX_COUNTDOWN_SECONDS, Math.max(MIN_COUNTDOWN_SECONDS, Math.round(value)));
}

/** When the default deny fires: the countdown from now, but never after the request itself expires. */
export function countdownDeadline(options: { now: Date; seconds: number; expiresAt: string }): Date {
  const byCountdown = options.now.getTime() + options.seconds * 1000;
  const byRequest = Date.parse(options.expiresAt);
  return new Date(Number.isNaN(byRequest) ? byCountdown : Math.min(byCountdown, byRequest));
}

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** One timer per inbox item; re-arming replaces, disarming is idempotent. */
export class CountdownTimers {
  readonly #scheduler: Scheduler;
  readonly #handles = new Map<string, unknown>();

  constructor(scheduler: Scheduler) {
    this.#scheduler = scheduler;
  }

  arm(options: { key: string; deadline: Date; now: Date; onElapsed: () => void }): void {
    this.disarm(options.key);
    const delay = Math.max(0, options.deadline.getTime() - options.now.getTime());
    const handle = this.#scheduler.setTimeout(() => {
      this.#handles.delete(options.key);
      options.onElapsed();
    }, delay);
    this.#handles.set(options.key, handle);
  }

  disarm(key: string): void {
    const handle = this.#handles.get(key);
    if (handle === undefined) return;
    this.#scheduler.clearTimeout(handle);
    this.#handles.delete(key);
  }

  disarmAll(): void {
    for (const key of [...this.#handles.keys()]) this.disarm(key);
  }

  get armed(): string[] {
    return [...this.#handles.keys()];
  }
}
