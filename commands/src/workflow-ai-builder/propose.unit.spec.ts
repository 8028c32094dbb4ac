import { describe, expect, it } from 'vitest';
import type { GatewayCall } from '../gateway/index.js';
import { getSkill, listSkills } from '../skills/index.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import { getWorkflowTemplate } from '../workflows/templates/index.js';
import { proposeGraphPatch, WorkflowPatchRejectedError } from './propose.js';

const skills = { get: getSkill, ids: listSkills().map((s) => s.id) };
const graph = (): WorkflowGraph => structuredClone(getWorkflowTemplate('vendor-onboarding')!.graph);
const actor = { kind: 'user' as const, id: 'usr_1' };

/** A gateway answering each call with the next scripted text, keeping what it was asked. */
function scriptedGateway(answers: string[]) {
  const calls: GatewayCall[] = [];
  return {
    calls,
    gateway: {
      complete: async (call: GatewayCall) => {
        calls.push(call);
        const text = answers[calls.length - 1] ?? '';
        return {
          result: { text } as never,
          timings: {},
          costMicros: 3,
        };
      },
    },
  };
}

const good = JSON.stringify({
  summary: 'Add a final sign-off',
  patch: [
    {
      op: 'add',
      path: '/nodes/-',
      value: { id: 'signoff', type: 'hitl', config: { summary: 'ok?', timeoutSeconds: 3600 } },
    },
    { op: 'add', path: '/edges/-', value: { from: 'approval', to: 'signoff', when: 'approved' } },
  ],
});
const cyclic = JSON.stringify({
  summary: 'Loop back',
  patch: [{ op: 'add', path: '/edges/-', value: { from: 'approval', to: 'diligence' } }],
});

describe('proposeGraphPatch', () => {
  it('asks on route workflow-builder and answers the patched graph with its hashes', async () => {
    const { gateway, calls } = scriptedGateway([good]);
    const proposal = await proposeGraphPatch(
      { gateway, skills },
      { org: 'org_1', actor, graph: graph(), message: 'add a sign-off', model: 'openai/gpt-4o-mini' },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      route: 'workflow-builder',
      request: { provider: 'openai', model: 'gpt-4o-mini' },
    });
    expect(proposal).toMatchObject({ summary: 'Add a final sign-off', calls: 1, costMicros: 3 });
    expect(proposal.graph.nodes.map((n) => n.id)).toContain('signoff');
    expect(proposal.baseHash).not.toBe(proposal.resultHash);
  });

  it('gives a refused answer one repair turn naming the problems', async () => {
    const { gateway, calls } = scriptedGateway([cyclic, good]);
    const proposal = await proposeGraphPatch(
      { gateway, skills },
      { org: 'org_1', actor, graph: graph(), message: 'add a sign-off', model: 'openai/gpt-4o-mini' },
    );
    expect(proposal.calls).toBe(2);
    const repair = calls[1]!.request.messages.at(-1);
    expect(repair).toMatchObject({ role: 'user', content: expect.stringContaining('cycle') });
  });

  it('refuses after the repair turn fails too', async () => {
    const { gateway, calls } = scriptedGateway(['not json', cyclic]);
    const refused = proposeGraphPatch(
      { gateway, skills },
      { org: 'org_1', actor, graph: graph(), message: 'x', model: 'openai/gpt-4o-mini' },
    );
    await expect(refused).rejects.toBeInstanceOf(WorkflowPatchRejectedError);
    await expect(refused).rejects.toMatchObject({
      calls: 2,
      problems: [expect.objectContaining({ code: 'cycle' })],
    });
    expect(calls).toHaveLength(2);
  });

  it("answers the demo provider's scripted proposal when no model is named", async () => {
    const { gateway, calls } = scriptedGateway(['ignored']);
    const proposal = await proposeGraphPatch(
      { gateway, skills },
      { org: 'org_1', actor, graph: graph(), message: 'add an approval step before dpa' },
    );
    expect(calls[0]!.request.provider).toBe('demo');
    expect(proposal.summary).toBe('Add an approval step (approval_2) before dpa');
  });
});
