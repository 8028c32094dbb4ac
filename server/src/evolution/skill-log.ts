import type { CapsuleSummary, Gene } from '@proofpane/api';
import { evolutionSubject } from '@proofpane/commands';
import type { EventData, EventStore, EventType } from '@proofpane/core';

export interface LoggedCapsule extends CapsuleSummary {
  text: string;
}

/**
 * One skill's genes and capsules folded straight from its subject, with the times of their events: what
 * a write route answers, so the answer shows the change whatever the read model's lag.
 */
export async function skillLog(options: {
  store: EventStore;
  org: string;
  skill: string;
}): Promise<{ genes: Map<string, Gene>; capsules: Map<string, LoggedCapsule> }> {
  const events = await options.store.readSubject({
    org: options.org,
    subject: evolutionSubject(options.skill),
  });
  const genes = new Map<string, Gene>();
  const capsules = new Map<string, LoggedCapsule>();
  const update = (geneId: string, change: Partial<Gene>) => {
    const g = genes.get(geneId);
    if (g) genes.set(geneId, { ...g, ...change });
  };
  for (const e of events) {
    const of = <T extends EventType>(_type: T) => e.data as EventData<T>;
    switch (e.type) {
      case 'cp.evolution.gene.proposed': {
        const d = of('cp.evolution.gene.proposed');
        genes.set(d.geneId, {
          id: d.geneId,
          skill: d.skill,
          text: d.text,
          rationale: d.rationale,
          origin: d.origin,
          status: 'proposed',
          proposedBy: d.proposedBy,
          proposedAt: e.time,
          motivatingEventIds: d.motivatingEventIds,
          evidenceRunIds: d.evidenceRunIds ?? [],
          decidedBy: null,
          decidedAt: null,
          rejectReason: null,
          capsuleId: null,
          deprecatedRule: null,
          deprecatedAt: null,
          replay: null,
        });
        break;
      }
      case 'cp.evolution.gene.replayed': {
        const { geneId, skill: _skill, ...replay } = of('cp.evolution.gene.replayed');
        update(geneId, { replay: { ...replay, at: e.time } });
        break;
      }
      case 'cp.evolution.gene.approved': {
        const d = of('cp.evolution.gene.approved');
        update(d.geneId, { status: 'approved', decidedBy: d.by, decidedAt: e.time, capsuleId: d.capsuleId });
        break;
      }
      case 'cp.evolution.gene.rejected': {
        const d = of('cp.evolution.gene.rejected');
        update(d.geneId, {
          status: 'rejected',
          decidedBy: d.by,
          decidedAt: e.time,
          rejectReason: d.reason ?? null,
        });
        break;
      }
      case 'cp.evolution.gene.deprecated': {
        const d = of('cp.evolution.gene.deprecated');
        update(d.geneId, { status: 'deprecated', deprecatedRule: d.rule, deprecatedAt: e.time });
        break;
      }
      case 'cp.evolution.capsule.created': {
        const d = of('cp.evolution.capsule.created');
        capsules.set(d.capsuleId, {
          id: d.capsuleId,
          skill: d.skill,
          text: d.text,
          genes: d.genes,
          previousCapsuleId: d.previousCapsuleId,
          createdAt: e.time,
          active: false,
          activatedAt: null,
          activatedBy: null,
          runs: 0,
          lastRunAt: null,
        });
        break;
      }
      case 'cp.evolution.capsule.activated': {
        const d = of('cp.evolution.capsule.activated');
        for (const [id, c] of capsules)
          capsules.set(
            id,
            id === d.capsuleId
              ? { ...c, active: true, activatedAt: e.time, activatedBy: d.by }
              : { ...c, active: false },
          );
        break;
      }
      default:
        break;
    }
  }
  return { genes, capsules };
}
