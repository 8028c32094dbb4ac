/**
 * Failures the CLI reports to a person, each with a stable code and process exit code (docs/daemon.md lists
 * them), so scripts and service managers can tell a revoked token from a network outage.
 */
export const DAEMON_ERRORS = {
  unexpected: { exitCode: 1 },
  usage: { exitCode: 2 },
  pairing_code_rejected: { exitCode: 3 },
  server_unreachable: { exitCode: 4 },
  device_revoked: { exitCode: 5 },
  not_paired: { exitCode: 6 },
  server_error: { exitCode: 7 },
} as const;

export type DaemonErrorCode = keyof typeof DAEMON_ERRORS;

export class DaemonError extends Error {
  readonly code: DaemonErrorCode;
  readonly exitCode: number;

  constructor(code: DaemonErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DaemonError';
    this.code = code;
    this.exitCode = DAEMON_ERRORS[code].exitCode;
  }
}

export const revokedMessage =
  'the device token was rejected (revoked or unknown); pair this machine again with `proofpane-daemon pair`';
