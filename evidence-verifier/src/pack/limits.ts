/** Bounds on what a verifier accepts, so hostile archives cannot exhaust memory or time. */
export interface PackLimits {
  /** Largest archive accepted, in bytes. */
  archiveBytes: number;
  /** Most central-directory entries read before refusing. */
  entries: number;
  manifestBytes: number;
  signatureBytes: number;
  eventsBytes: number;
  proofsBytes: number;
  /** Longest single line of events.jsonl. */
  lineBytes: number;
  /** Deepest JSON nesting in the manifest and in an event. */
  depth: number;
}

export const DEFAULT_LIMITS: PackLimits = {
  archiveBytes: 2 ** 31 - 1,
  entries: 64,
  manifestBytes: 1024 * 1024,
  signatureBytes: 1024,
  eventsBytes: 2 ** 32 - 1,
  proofsBytes: 2 ** 32 - 1,
  lineBytes: 4 * 1024 * 1024,
  depth: 64,
};
