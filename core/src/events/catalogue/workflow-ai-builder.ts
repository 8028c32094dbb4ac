import { z } from 'zod';
import { hex64, id } from './schemas.js';

/**
 * The AI Builder's proposals, one subject `workflow-builder/<proposal id>`: which graph a model's
 * JSON Patch applied to, what it produced and how large it was. Never the person's message, the
 * model's summary or the patch itself (they may carry what the person typed); a version saved with
 * `resultHash` as its graph's hash is the proposal accepted (docs/decisions/0045).
 */
export const workflowAiBuilderEvents = {
  'cp.workflow.builder.proposed': z.strictObject({
    proposalId: id,
    /** SHA-256 of the canonical graph the patch was asked against. */
    baseHash: hex64,
    /** SHA-256 of the canonical graph the patch yields. */
    resultHash: hex64,
    /** SHA-256 of the patch's canonical JSON (RFC 8785). */
    patchHash: hex64,
    ops: z.number().int().min(1).max(50),
    /** Model turns it took: 2 when the repair turn was needed. */
    calls: z.number().int().min(1).max(2),
    provider: z.string().min(1).max(40),
    model: z.string().min(1).max(200),
  }),
} as const;
