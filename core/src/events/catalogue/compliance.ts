import { z } from 'zod';
import { id } from './schemas.js';
import { skillIdPattern } from './skills.js';

/** A control uid of the catalogue, `<FRAMEWORK-PREFIX>:<native id>`; the decider checks it exists. */
const controlUid = z.string().min(3).max(100);
const reason = z.string().min(1).max(1_000);

/**
 * An org's change to the shipped skill ↔ control mapping, one subject `compliance-override/<id>`. It takes
 * effect only once approved by a second admin (four eyes): proposer and approver are the events' actors.
 */
export const complianceEvents = {
  'cp.compliance.mapping.proposed': z.strictObject({
    overrideId: id,
    skill: z.string().max(100).regex(skillIdPattern),
    control: controlUid,
    action: z.enum(['add', 'remove']),
    reason,
    /** The proposing actor's id (as in the envelope), which the approver must differ from. */
    proposedBy: id,
  }),
  'cp.compliance.mapping.approved': z.strictObject({
    overrideId: id,
    approvedBy: id,
    note: z.string().max(1_000).optional(),
  }),
  'cp.compliance.mapping.rejected': z.strictObject({
    overrideId: id,
    rejectedBy: id,
    note: z.string().max(1_000).optional(),
  }),
} as const;
