import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { type WorkflowCommand, workflowDecider } from './decide.js';
import { WorkflowError, WorkflowInvalidError } from './errors.js';
import { graphHash, type WorkflowFact } from './facts.js';
import type { WorkflowGraph } from './graph.js';
import type { SkillLookup } from './node-outputs.js';

const spec = deciderSpec(workflowDecider);
const workflowId = 'wf_1';

const schema = { type: 'object', properties: { text: { type: 'string' } } };
let catalogue: Record<
  string,
  { inputSchema: Record<string, unknown>; outputSchema: Record<string, unknown> }
> = {
  'intake.summarize_use_case': { inputSchema: schema, outputSchema: schema },
};
const skills: SkillLookup = { get: (id) => catalogue[id] };

const graph = (text = '$.input.text'): WorkflowGraph => ({
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'sum', type: 'skill', config: { skill: 'intake.summarize_use_case', input: { text } } },
  ],
  edges: [{ from: 'start', to: 'sum' }],
});
const v1 = graph();
const v2 = graph('$.nodes.start.output.text');

const created: WorkflowFact = { type: 'cp.workflow.created', data: { workflowId, name: 'Intake' } };
const saved = (version: number, g: WorkflowGraph): WorkflowFact => ({
  type: 'cp.workflow.draft.saved',
  data: { workflowId, version, graph: g },
});
const published = (version: number, g: WorkflowGraph): WorkflowFact => ({
  type: 'cp.workflow.published',
  data: { workflowId, version, hash: graphHash(g) },
});
const deprecated: WorkflowFact = { type: 'cp.workflow.deprecated', data: { workflowId } };

const create = (g: WorkflowGraph = v1, templateId?: string): WorkflowCommand => ({
  type: 'create',
  workflowId,
  name: 'Intake',
  graph: g,
  skills,
  ...(templateId ? { templateId } : {}),
});
const save = (g: WorkflowGraph): WorkflowCommand => ({ type: 'save', workflowId, graph: g, skills });
const publish: WorkflowCommand = { type: 'publish', workflowId, skills };
const deprecate: WorkflowCommand = { type: 'deprecate', workflowId };

const refused = (code: string, status: number, detail?: string | RegExp) => (error: unknown) =>
  error instanceof WorkflowError &&
  error.code === code &&
  error.status === status &&
  (detail === undefined ||
    (typeof detail === 'string' ? error.message === detail : detail.test(error.message)));

describe('creating a workflow', () => {
  it('records its name and its graph as version 1, and the template it came from', () => {
    spec
      .given([])
      .when(create())
      .then([created, saved(1, v1)]);
    spec
      .given([])
      .when(create(v1, 'tpl_intake'))
      .then([{ ...created, data: { ...created.data, templateId: 'tpl_intake' } }, saved(1, v1)]);
  });

  it('refuses an id that exists, and a graph that breaks a rule, naming each node', () => {
    spec
      .given([created, saved(1, v1)])
      .when(create())
      .thenThrows(refused('workflow_exists', 409));
    const broken: WorkflowGraph = {
      ...v1,
      nodes: [...v1.nodes, { id: 'lost', type: 'tool', config: { tool: 'list', args: {} } }],
    };
    const error = spec
      .given([])
      .when(create(broken))
      .thenThrows(WorkflowInvalidError) as WorkflowInvalidError;
    expect(error.status).toBe(400);
    expect(error.message).toBe('node lost: node lost cannot be reached from the trigger start');
    expect(error.problems).toEqual([expect.objectContaining({ code: 'unreachable', node: 'lost' })]);
  });
});

describe('saving drafts', () => {
  it('adds a version after the latest, keeping every one', () => {
    spec
      .given([created, saved(1, v1)])
      .when(save(v2))
      .then([saved(2, v2)]);
    spec
      .given([created, saved(1, v1), published(1, v1)])
      .when(save(v2))
      .then([saved(2, v2)]);
    spec
      .given([created, saved(1, v1), saved(2, v2)])
      .when(save(v1))
      .then([saved(3, v1)]);
  });

  it('records nothing when the graph is the latest version’s, so a retried save makes no new version', () => {
    spec
      .given([created, saved(1, v1)])
      .when(save(structuredClone(v1)))
      .then([]);
  });

  it('refuses an unknown workflow, a deprecated one and an invalid graph', () => {
    spec
      .given([])
      .when(save(v2))
      .thenThrows(refused('workflow_not_found', 404, 'no workflow wf_1'));
    spec
      .given([created, saved(1, v1), published(1, v1), deprecated])
      .when(save(v2))
      .thenThrows(refused('workflow_lifecycle', 409, 'workflow wf_1 is deprecated; it takes no save'));
    spec
      .given([created, saved(1, v1)])
      .when(save(graph('$.nodes.nowhere.output')))
      .thenThrows(
        refused('workflow_invalid', 400, /^node sum: \$\.nodes\.nowhere\.output names no node nowhere$/),
      );
  });
});

describe('publishing', () => {
  it('publishes the latest draft with the SHA-256 of its canonical graph', () => {
    spec
      .given([created, saved(1, v1)])
      .when(publish)
      .then([published(1, v1)]);
    spec
      .given([created, saved(1, v1), published(1, v1), saved(2, v2)])
      .when(publish)
      .then([published(2, v2)]);
    expect(graphHash(v1)).toMatch(/^[0-9a-f]{64}$/);
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    const reordered = reversed(v1) as WorkflowGraph;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(v1));
    expect(graphHash(reordered)).toBe(graphHash(v1));
    expect(graphHash(v2)).not.toBe(graphHash(v1));
  });

  it('refuses to publish a version twice, or a deprecated or unknown workflow', () => {
    spec
      .given([created, saved(1, v1), published(1, v1)])
      .when(publish)
      .thenThrows(
        refused(
          'workflow_lifecycle',
          409,
          'version 1 is already published; save a new draft to publish again',
        ),
      );
    spec
      .given([created, saved(1, v1), published(1, v1), deprecated])
      .when(publish)
      .thenThrows(refused('workflow_lifecycle', 409));
    spec.given([]).when(publish).thenThrows(refused('workflow_not_found', 404));
  });

  it('validates the draft again against the catalogue of the day', () => {
    const before = catalogue;
    catalogue = {};
    try {
      spec
        .given([created, saved(1, v1)])
        .when(publish)
        .thenThrows(
          refused('workflow_invalid', 400, 'node sum: no skill intake.summarize_use_case in the catalogue'),
        );
    } finally {
      catalogue = before;
    }
  });
});

describe('deprecating', () => {
  it('deprecates a published workflow once', () => {
    spec
      .given([created, saved(1, v1), published(1, v1)])
      .when(deprecate)
      .then([deprecated]);
    spec
      .given([created, saved(1, v1), published(1, v1), saved(2, v2)])
      .when(deprecate)
      .then([deprecated]);
    spec
      .given([created, saved(1, v1), published(1, v1), deprecated])
      .when(deprecate)
      .thenThrows(
        refused(
          'workflow_lifecycle',
          409,
          'cannot deprecate a workflow that is deprecated; it must be published',
        ),
      );
  });

  it('refuses a workflow never published', () => {
    spec
      .given([created, saved(1, v1)])
      .when(deprecate)
      .thenThrows(
        refused('workflow_lifecycle', 409, 'cannot deprecate a workflow that is draft; it must be published'),
      );
    spec.given([]).when(deprecate).thenThrows(refused('workflow_not_found', 404));
  });
});
