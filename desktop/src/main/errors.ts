/**
 * The desktop approver's error catalogue. Every failure the approver shows carries a stable
 * code; `message` is what the person reads, so it says what to do next.
 */
export const DESKTOP_ERRORS = {
  pairing_code_unknown: 'That pairing code does not exist. Check it, or ask an admin for a new one.',
  pairing_code_spent: 'That pairing code has expired or was already used. Ask an admin for a new one.',
  insecure_storage:
    'This computer has no keyring the app can use (the secret-storage backend is "basic_text"), so the ' +
    'approver token would sit on disk in a form any local program could read. Install and unlock a ' +
    'keyring (GNOME Keyring or KWallet), then pair again.',
  storage_unavailable: 'The operating system refused to encrypt the approver token, so it was not stored.',
  token_rejected:
    'Unpaired: an admin revoked this approver or its token expired, so the server refuses it. Pair this org again with a new code.',
  already_resolved: 'Someone else resolved this request first.',
  request_unknown: 'The server does not know this request any more.',
  server_unreachable: 'The server could not be reached.',
  server_error: 'The server answered with an error.',
  insecure_server_url: 'Use an https:// address (plain http is accepted only for localhost).',
  invalid_input: 'The request to the approver was malformed.',
} as const;

export type DesktopErrorCode = keyof typeof DESKTOP_ERRORS;

export class DesktopError extends Error {
  readonly code: DesktopErrorCode;
  readonly status: number | undefined;

  constructor(code: DesktopErrorCode, options: { status?: number; cause?: unknown } = {}) {
    super(DESKTOP_ERRORS[code], { cause: options.cause });
    this.name = 'DesktopError';
    this.code = code;
    this.status = options.status;
  }
}

export const isDesktopError = (error: unknown, code?: DesktopErrorCode): error is DesktopError =>
  error instanceof DesktopError && (code === undefined || error.code === code);
