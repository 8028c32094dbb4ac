import { z } from 'zod';
import { hex64, id } from './schemas.js';

/** Signed tree heads and pack exports: the chain's own attestations. */
export const evidenceEvents = {
  'cp.evidence.checkpoint.signed': z.strictObject({
    size: z.number().int().positive(),
    root: hex64,
    time: z.string(),
    keyId: id,
    signature: z.string().min(1),
  }),
  'cp.evidence.pack.exported': z.strictObject({
    manifestSha256: hex64,
    eventCount: z.number().int().nonnegative(),
    checkpointSize: z.number().int().nonnegative(),
    selection: z.record(z.string(), z.unknown()),
  }),
} as const;
