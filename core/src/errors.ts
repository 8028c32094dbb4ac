/**
 * Errors the core raises. Each has a stable `code` (clients switch on it) and an
 * HTTP status the server's problem+json handler uses (RFC 9457).
 */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The type is not in the event catalogue. */
export class UnknownEventTypeError extends CoreError {
  constructor(type: string) {
    super('unknown_event_type', `event type "${type}" is not in the catalogue`, 500, { type });
  }
}

/** The payload fails its type's schema. */
export class InvalidEventError extends CoreError {
  constructor(type: string, problems: string[]) {
    super('invalid_event', `event "${type}" is invalid: ${problems.join('; ')}`, 500, { type, problems });
  }
}

/** Optimistic concurrency: the subject moved on since the caller read it. */
export class ConcurrencyError extends CoreError {
  constructor(
    readonly subject: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('concurrency_conflict', `subject ${subject} is at version ${actual}, expected ${expected}`, 409, {
      subject,
      expected,
      actual,
    });
  }
}

/** The store is closing and takes no new appends. */
export class StoreClosedError extends CoreError {
  constructor() {
    super('store_closed', 'the event store is shutting down', 503);
  }
}
