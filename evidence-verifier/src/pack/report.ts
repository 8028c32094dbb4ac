/** One verification step and its outcome; `seq` names the first event it failed on. */
export interface Check {
  id: string;
  ok: boolean;
  message: string;
  seq?: number;
}

/**
 * What `verifyPack` returns: it never throws on bad input. `status` is `valid` when every check
 * passed and the pack is signed by a trusted key (CLI exit 0), `invalid` when any check failed
 * (exit 1), `unusable` when the input is not a readable pack at all (exit 2), and `unproven` when
 * every check passed but no trusted key was given, so nothing shows who signed it (exit 3).
 */
export interface VerifyReport {
  status: 'valid' | 'invalid' | 'unusable' | 'unproven';
  /** True only for `valid`: intact and signed by a trusted key. */
  valid: boolean;
  /**
   * Who signed, as far as the pack can show: a trusted key (`pinned`), a key other than the
   * trusted ones (`untrusted`, which also fails `signing-key.pinned`), or, with no trusted key
   * given, anyone at all (`unproven`).
   */
  signer: 'pinned' | 'unproven' | 'untrusted';
  checks: Check[];
  warnings: string[];
  /** Events read from events.jsonl. */
  eventCount: number;
  org?: string;
  keyId?: string;
  checkpoint?: { size: number; root: string; time: string };
  /** Why the input is unusable, when it is. */
  error?: string;
}

/** Refusal of input that cannot be read as a pack; becomes `status: 'unusable'`. */
export class UnusablePackError extends Error {
  override name = 'UnusablePackError';
}

/** Collects checks; per-event checks keep their first failure and count the rest. */
export class CheckLog {
  readonly checks: Check[] = [];
  readonly warnings: string[] = [];
  private readonly firstFailure = new Map<string, { check: Check; more: number }>();

  pass(id: string, message: string): void {
    this.checks.push({ id, ok: true, message });
  }

  fail(id: string, message: string, seq?: number): void {
    const seen = this.firstFailure.get(id);
    if (seen) {
      seen.more++;
      return;
    }
    const check: Check = seq === undefined ? { id, ok: false, message } : { id, ok: false, message, seq };
    this.firstFailure.set(id, { check, more: 0 });
    this.checks.push(check);
  }

  failed(id: string): boolean {
    return this.firstFailure.has(id);
  }

  /** Records `id` as passed unless a failure was already logged for it. */
  settle(id: string, message: string): void {
    const seen = this.firstFailure.get(id);
    if (!seen) this.pass(id, message);
    else if (seen.more > 0) seen.check.message += ` (and ${seen.more} more)`;
  }

  get anyFailed(): boolean {
    return this.firstFailure.size > 0;
  }
}
