import type { CapsuleSummary, Gene } from '@proofpane/api';
import type { CapsuleRow, GeneRow } from '@proofpane/projections';

/** A gene as the API answers it, from its read-model row. */
export const geneView = (row: GeneRow): Gene => ({
  id: row.geneId,
  skill: row.skill,
  text: row.text,
  rationale: row.rationale,
  origin: row.origin as Gene['origin'],
  status: row.status as Gene['status'],
  proposedBy: row.proposedBy,
  proposedAt: row.proposedAt,
  motivatingEventIds: row.motivatingEventIds,
  evidenceRunIds: row.evidenceRunIds,
  decidedBy: row.decidedBy,
  decidedAt: row.decidedAt,
  rejectReason: row.rejectReason,
  capsuleId: row.capsuleId,
  deprecatedRule: row.deprecatedRule as Gene['deprecatedRule'],
  deprecatedAt: row.deprecatedAt,
  replay: (row.replay as Gene['replay']) ?? null,
});

export const capsuleView = (row: CapsuleRow): CapsuleSummary => ({
  id: row.capsuleId,
  skill: row.skill,
  genes: row.genes,
  previousCapsuleId: row.previousCapsuleId,
  createdAt: row.createdAt,
  active: row.active,
  activatedAt: row.activatedAt,
  activatedBy: row.activatedBy,
  runs: row.runs,
  lastRunAt: row.lastRunAt,
});
