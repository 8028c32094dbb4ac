import { describe, expect, it } from 'vitest';
import { getSkill, listSkills } from '../skills/index.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import { getWorkflowTemplate } from '../workflows/templates/index.js';
import { applyGraphPatch, PATCH_LIMITS } from './patch.js';
import { scriptedProposal } from './scripted.js';

const skills = { get: getSkill, ids: listSkills().map((s) => s.id) };
const vendor = (): WorkflowGraph => structuredClone(getWorkflowTemplate('vendor-onboarding')!.graph);

describe('applyGraphPatch', () => {
  it('adds a leaf step without touching the graph it was given', () => {
    const graph = vendor();
    const before = structuredClone(graph);
    const outcome = applyGraphPatch({
      graph,
      skills,
      patch: [
        {
          op: 'add',
          path: '/nodes/-',
          value: { id: 'notify', type: 'hitl', config: { summary: 'done', timeoutSeconds: 3600 } },
        },
        { op: 'add', path: '/edges/-', value: { from: 'approval', to: 'notify', when: 'approved' } },
      ],
    });
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.graph.nodes.map((n) => n.id)).toContain('notify');
    expect(graph).toEqual(before);
  });

  it('names the operation whose path does not exist, without quoting the graph', () => {
    const outcome = applyGraphPatch({
      graph: vendor(),
      skills,
      patch: [
        { op: 'test', path: '/nodes/0/id', value: 'start' },
        { op: 'remove', path: '/nodes/42' },
      ],
    });
    expect(outcome).toEqual({
      ok: false,
      problems: [{ code: 'patch_unapplicable', op: 1, message: expect.stringContaining('remove /nodes/42') }],
    });
    if (!outcome.ok) expect(outcome.problems[0]!.message).not.toContain('diligence');
  });

  it('refuses a failed test operation', () => {
    const outcome = applyGraphPatch({
      graph: vendor(),
      skills,
      patch: [{ op: 'test', path: '/nodes/0/id', value: 'elsewhere' }],
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]).toMatchObject({ code: 'patch_unapplicable', op: 0 });
  });

  it.each([
    ['an unknown op', [{ op: 'frobnicate', path: '/nodes' }]],
    ['a path that is not a pointer', [{ op: 'remove', path: 'nodes/0' }]],
    ['a NUL character', [{ op: 'replace', path: '/nodes/1/config/input/product', value: 'a\u0000b' }]],
    [
      'too many operations',
      Array.from({ length: PATCH_LIMITS.ops + 1 }, () => ({ op: 'test', path: '', value: 1 })),
    ],
    ['not a list', { op: 'remove', path: '/nodes/0' }],
  ])('refuses %s as malformed', (_name, patch) => {
    const outcome = applyGraphPatch({ graph: vendor(), skills, patch });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.every((p) => p.code === 'patch_malformed')).toBe(true);
  });

  it('refuses a prototype key', () => {
    const outcome = applyGraphPatch({
      graph: vendor(),
      skills,
      patch: [{ op: 'add', path: '/__proto__/polluted', value: true }],
    });
    expect(outcome.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("holds the result to the engine's rules: a cycle is refused with the validator's code", () => {
    const outcome = applyGraphPatch({
      graph: vendor(),
      skills,
      patch: [
        { op: 'add', path: '/edges/-', value: { from: 'approval', to: 'diligence', when: 'approved' } },
      ],
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.code)).toContain('cycle');
  });

  it('refuses a node type the engine does not run', () => {
    const outcome = applyGraphPatch({
      graph: vendor(),
      skills,
      patch: [{ op: 'replace', path: '/nodes/3/type', value: 'shell' }],
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]!.code).toBe('patch_malformed');
  });
});

describe('scriptedProposal (the demo provider)', () => {
  it('puts an approval step before the named step, wired on approved', () => {
    const graph = vendor();
    const proposal = scriptedProposal({ graph, message: 'Add an approval step before diligence', skills });
    expect(proposal.summary).toBe('Add an approval step (approval_2) before diligence');
    const outcome = applyGraphPatch({ graph, patch: proposal.patch, skills });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.graph.edges).toContainEqual({ from: 'start', to: 'approval_2' });
    expect(outcome.graph.edges).toContainEqual({ from: 'approval_2', to: 'diligence', when: 'approved' });
    expect(outcome.graph.edges).not.toContainEqual({ from: 'start', to: 'diligence' });
  });

  it('is the same for the same graph and message', () => {
    const message = 'add skill risk.register_risks after diligence';
    expect(scriptedProposal({ graph: vendor(), message, skills })).toEqual(
      scriptedProposal({ graph: vendor(), message, skills }),
    );
  });

  it("adds a catalogue skill after a step, with an input the skill's schema accepts", () => {
    const graph = vendor();
    const proposal = scriptedProposal({
      graph,
      message: 'add skill risk.register_risks after diligence',
      skills,
    });
    const outcome = applyGraphPatch({ graph, patch: proposal.patch, skills });
    expect(outcome).toMatchObject({ ok: true });
    if (outcome.ok)
      expect(outcome.graph.nodes.at(-1)).toMatchObject({
        type: 'skill',
        config: { skill: 'risk.register_risks' },
      });
  });

  it('removes a step whose output others read, which the validator then refuses', () => {
    const graph = vendor();
    const proposal = scriptedProposal({ graph, message: 'remove dpa', skills });
    expect(proposal.patch.at(-1)).toEqual({ op: 'remove', path: '/nodes/2' });
    const outcome = applyGraphPatch({ graph, patch: proposal.patch, skills });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((p) => p.code)).toContain('unresolvable_mapping');
  });

  it('answers an empty patch and what it knows for anything else', () => {
    const proposal = scriptedProposal({ graph: vendor(), message: 'make it faster', skills });
    expect(proposal.patch).toEqual([]);
    expect(proposal.summary).toContain('add an approval step before');
  });
});
