import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { overrideDecider } from './decide.js';
import { DEFAULT_SKILL_CONTROLS, effectiveMapping } from './default-mappings.js';
import { ComplianceError } from './errors.js';
import type { OverrideFact } from './facts.js';

const spec = deciderSpec(overrideDecider);
const alice = { kind: 'user' as const, id: 'usr_alice' };
const bob = { kind: 'user' as const, id: 'usr_bob' };
const overrideId = 'ovr_1';
const proposed: OverrideFact = {
  type: 'cp.compliance.mapping.proposed',
  data: {
    overrideId,
    skill: 'risk.eu_ai_act_tier',
    control: 'GDPR:Art.35',
    action: 'add',
    reason: 'our DPIA reads the tier',
    proposedBy: alice.id,
  },
};
const propose = {
  type: 'propose' as const,
  overrideId,
  skill: 'risk.eu_ai_act_tier',
  control: 'GDPR:Art.35',
  action: 'add' as const,
  reason: 'our DPIA reads the tier',
  by: alice,
};
const code = (c: string) => (error: unknown) => error instanceof ComplianceError && error.code === c;

describe('mapping overrides', () => {
  it('are proposed once, naming the proposer', () => {
    spec.given([]).when(propose).then([proposed]);
    spec.given([proposed]).when(propose).thenThrows(code('compliance_override_decided'));
  });

  it('refuse unknown skills, unknown or unscoped control uids, and adding a shipped pair', () => {
    spec
      .given([])
      .when({ ...propose, skill: 'risk.nope' })
      .thenThrows(code('compliance_override_invalid'));
    spec
      .given([])
      .when({ ...propose, control: 'Art.35' })
      .thenThrows(code('compliance_override_invalid'));
    const shipped = DEFAULT_SKILL_CONTROLS[0]!;
    spec
      .given([])
      .when({ ...propose, skill: shipped.skill, control: shipped.control })
      .thenThrows(code('compliance_override_invalid'));
  });

  it('take a second person to approve: never the proposer, never an API key', () => {
    spec
      .given([proposed])
      .when({ type: 'approve', overrideId, by: alice })
      .thenThrows(code('compliance_four_eyes'));
    spec
      .given([proposed])
      .when({ type: 'approve', overrideId, by: { kind: 'apikey', id: 'key_1' } })
      .thenThrows(code('compliance_four_eyes'));
    spec
      .given([proposed])
      .when({ type: 'approve', overrideId, by: bob, note: 'agreed' })
      .then([
        { type: 'cp.compliance.mapping.approved', data: { overrideId, approvedBy: bob.id, note: 'agreed' } },
      ]);
  });

  it('are decided once; the proposer may withdraw by rejecting', () => {
    const approved: OverrideFact = {
      type: 'cp.compliance.mapping.approved',
      data: { overrideId, approvedBy: bob.id },
    };
    spec
      .given([proposed, approved])
      .when({ type: 'reject', overrideId, by: bob })
      .thenThrows(code('compliance_override_decided'));
    spec
      .given([proposed])
      .when({ type: 'reject', overrideId, by: alice })
      .then([{ type: 'cp.compliance.mapping.rejected', data: { overrideId, rejectedBy: alice.id } }]);
    spec
      .given([])
      .when({ type: 'approve', overrideId, by: bob })
      .thenThrows(code('compliance_override_not_found'));
  });
});

describe('the mapping in force', () => {
  it('is every skill declared control, changed by approved overrides in order', () => {
    const first = DEFAULT_SKILL_CONTROLS[0]!;
    expect(effectiveMapping([])).toHaveLength(DEFAULT_SKILL_CONTROLS.length);
    const removed = effectiveMapping([{ ...first, action: 'remove' }]);
    expect(removed).not.toContainEqual(first);
    const added = effectiveMapping([{ skill: 'risk.eu_ai_act_tier', control: 'GDPR:Art.35', action: 'add' }]);
    expect(added).toContainEqual({ skill: 'risk.eu_ai_act_tier', control: 'GDPR:Art.35' });
    const readded = effectiveMapping([
      { ...first, action: 'remove' },
      { ...first, action: 'add' },
    ]);
    expect(readded).toContainEqual(first);
  });
});
