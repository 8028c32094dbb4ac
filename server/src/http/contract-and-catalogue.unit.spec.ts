import {
  ACTOR_KINDS,
  type ActorKind,
  API_KEY_ROLES,
  HITL_KINDS,
  HITL_RISKS,
  ROLES,
  RUN_KINDS,
  RUN_STATUSES,
} from '@proofpane/api';
import { type Actor, catalogue, runKinds, validateNewEvent } from '@proofpane/core';
import { describe, expect, expectTypeOf, it } from 'vitest';

const sorted = (values: readonly string[]) => [...values].sort();

/**
 * The HTTP contract states in its own words what the event catalogue also states: the routes
 * answer with what the events hold. A value added on one side only would reach clients as a
 * shape they were told cannot happen, so the two lists move together.
 */
describe('the HTTP contract and the event catalogue', () => {
  it('name the same run kinds and end states', () => {
    expect(sorted(RUN_KINDS)).toEqual(sorted(runKinds));
    const ended = catalogue['cp.run.completed'].shape.status.options;
    expect(sorted(RUN_STATUSES.filter((s) => s !== 'running'))).toEqual(sorted(ended));
  });

  it('name the same HITL kinds and risks', () => {
    const requested = catalogue['cp.hitl.requested'].shape;
    expect(sorted(HITL_KINDS)).toEqual(sorted(requested.kind.options));
    expect(sorted(HITL_RISKS)).toEqual(sorted(requested.risk.options));
  });

  it('name the same member and API key roles', () => {
    expect(sorted(ROLES)).toEqual(sorted(catalogue['cp.identity.member.joined'].shape.role.options));
    expect(sorted(API_KEY_ROLES)).toEqual(
      sorted(catalogue['cp.identity.api-key.created'].shape.role.options),
    );
  });

  it('name the same actor kinds', () => {
    expectTypeOf<ActorKind>().toEqualTypeOf<Actor['kind']>();
    const event = (kind: string) => ({
      type: 'cp.run.completed',
      subject: 'run/r1',
      actor: { kind, id: 'a1' } as Actor,
      data: { status: 'succeeded' },
    });
    for (const kind of ACTOR_KINDS) expect(() => validateNewEvent(catalogue, event(kind))).not.toThrow();
    expect(() => validateNewEvent(catalogue, event('robot'))).toThrow(/actor\.kind/);
  });
});
