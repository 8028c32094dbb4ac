import { type ErrorCode, errorCatalogue } from './catalogue/index.js';

/**
 * An error with a stable `code` from the catalogue (clients switch on it); its HTTP status is the
 * catalogue's, which the server's problem+json handler (RFC 9457) and the vendor shapes answer with.
 */
export class CoreError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? errorCatalogue[code].title);
    this.name = new.target.name;
    this.status = errorCatalogue[code].status;
  }
}

/** The type is not in the event catalogue. */
export class UnknownEventTypeError extends CoreError {
  constructor(type: string) {
    super('unknown_event_type', `event type "${type}" is not in the catalogue`, { type });
  }
}

/** The payload fails its type's schema. */
export class InvalidEventError extends CoreError {
  constructor(type: string, problems: string[]) {
    super('invalid_event', `event "${type}" is invalid: ${problems.join('; ')}`, { type, problems });
  }
}

/** Optimistic concurrency: the subject moved on since the caller read it. */
export class ConcurrencyError extends CoreError {
  constructor(
    readonly subject: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('concurrency_conflict', `subject ${subject} is at version ${actual}, expected ${expected}`, {
      subject,
      expected,
      actual,
    });
  }
}

/** The store is closing and takes no new appends. */
export class StoreClosedError extends CoreError {
  constructor() {
    super('store_closed', 'the event store is shutting down');
  }
}
