import { describe, expect, it } from 'vitest';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph.js';
import type { SkillLookup } from './node-outputs.js';
import { validateWorkflowGraph } from './validate.js';

const skills: SkillLookup = {
  get: (id) =>
    ({
      'intake.classify_use_case': {
        inputSchema: {
          type: 'object',
          properties: { description: { type: 'string' }, owner: { type: 'string' } },
          required: ['description'],
          additionalProperties: false,
        },
        outputSchema: {
          type: 'object',
          properties: {
            category: { type: 'string' },
            confidence: { type: 'number' },
            tags: { type: 'array', items: { type: 'string' } },
          },
          required: ['category'],
        },
      },
      'risk.register_risks': {
        inputSchema: {
          type: 'object',
          properties: {
            category: { type: 'string' },
            confidence: { type: 'number' },
            context: { type: 'object' },
          },
          required: ['category'],
        },
        outputSchema: { type: 'object', properties: { risks: { type: 'array' } } },
      },
    })[id],
};

const trigger: WorkflowNode = {
  id: 'start',
  type: 'trigger',
  config: {
    kind: 'manual',
    inputSchema: { type: 'object', properties: { text: { type: 'string' }, count: { type: 'integer' } } },
  },
};
const classify: WorkflowNode = {
  id: 'classify',
  type: 'skill',
  config: { skill: 'intake.classify_use_case', input: { description: '$.input.text' } },
};
const register: WorkflowNode = {
  id: 'register',
  type: 'skill',
  config: {
    skill: 'risk.register_risks',
    input: { category: '$.nodes.classify.output.category', confidence: '$.nodes.classify.output.confidence' },
  },
};
const chain = (...ids: string[]): WorkflowEdge[] => ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));
const valid: WorkflowGraph = {
  nodes: [trigger, classify, register],
  edges: chain('start', 'classify', 'register'),
};
const check = (graph: WorkflowGraph) => validateWorkflowGraph(graph, skills);
const withNode = (node: WorkflowNode, edges: WorkflowEdge[] = []): WorkflowGraph => ({
  nodes: [...valid.nodes, node],
  edges: [...valid.edges, ...edges],
});

describe('a valid graph', () => {
  it('has no problems, branches and joins included', () => {
    expect(check(valid)).toEqual([]);
    const branched: WorkflowGraph = {
      nodes: [
        ...valid.nodes,
        {
          id: 'sure',
          type: 'condition',
          config: { value: '$.nodes.classify.output.confidence', op: 'gte', compareTo: 0.8 },
        },
        {
          id: 'review',
          type: 'hitl',
          config: { summary: '$.nodes.classify.output', timeoutSeconds: 3600, risk: 'medium' },
        },
        {
          id: 'notify',
          type: 'tool',
          config: { tool: 'write', args: { path: 'out.md', content: '$.nodes.classify.output.category' } },
        },
      ],
      edges: [
        ...chain('start', 'classify', 'sure'),
        { from: 'sure', to: 'register', when: 'true' },
        { from: 'sure', to: 'review', when: 'false' },
        { from: 'review', to: 'register', when: 'approved' },
        { from: 'review', to: 'notify', when: 'denied' },
      ],
    };
    expect(check(branched)).toEqual([]);
  });
});

describe('the shape of the graph', () => {
  it('wants exactly one trigger, with nothing leading into it', () => {
    expect(check({ nodes: [classify], edges: [] })).toContainEqual(
      expect.objectContaining({ code: 'trigger_count', message: expect.stringContaining('has 0') }),
    );
    expect(check(withNode({ ...trigger, id: 'again' }, [{ from: 'again', to: 'classify' }]))).toContainEqual(
      expect.objectContaining({ code: 'trigger_count', node: 'again' }),
    );
    expect(check({ ...valid, edges: [...valid.edges, { from: 'register', to: 'start' }] })).toContainEqual(
      expect.objectContaining({
        code: 'trigger_has_inputs',
        node: 'start',
        edge: { index: 2, from: 'register', to: 'start' },
      }),
    );
  });

  it('refuses a cycle, naming the nodes along it', () => {
    const problems = check({ ...valid, edges: [...valid.edges, { from: 'register', to: 'classify' }] });
    expect(problems).toContainEqual({
      code: 'cycle',
      node: 'classify',
      message: 'not a DAG: classify → register → classify is a cycle',
    });
    expect(check({ ...valid, edges: [...valid.edges, { from: 'register', to: 'register' }] })).toContainEqual(
      expect.objectContaining({ code: 'cycle', message: 'not a DAG: register → register is a cycle' }),
    );
  });

  it('names a node the trigger cannot reach', () => {
    expect(
      check(
        withNode({
          ...register,
          id: 'orphan',
          config: { skill: 'risk.register_risks', input: { category: 'ops' } },
        }),
      ),
    ).toEqual([
      {
        code: 'unreachable',
        node: 'orphan',
        message: 'node orphan cannot be reached from the trigger start',
      },
    ]);
  });

  it('names duplicate ids, unknown types, and edges to nowhere or repeated', () => {
    const problems = check({
      nodes: [...valid.nodes, { ...register }, { id: 'odd', type: 'loop' as never, config: {} }],
      edges: [
        ...valid.edges,
        { from: 'classify', to: 'odd' },
        { from: 'classify', to: 'ghost' },
        valid.edges[0]!,
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'duplicate_node', node: 'register' }),
        expect.objectContaining({ code: 'unknown_node_type', node: 'odd', field: 'type' }),
        expect.objectContaining({
          code: 'unknown_edge_node',
          edge: { index: 3, from: 'classify', to: 'ghost' },
        }),
        expect.objectContaining({
          code: 'duplicate_edge',
          edge: { index: 4, from: 'start', to: 'classify' },
        }),
      ]),
    );
  });

  it('takes only the labels the producing node gives', () => {
    expect(
      check({
        ...valid,
        edges: [chain('start', 'classify')[0]!, { from: 'classify', to: 'register', when: 'true' }],
      }),
    ).toEqual([
      {
        code: 'bad_edge_label',
        edge: { index: 1, from: 'classify', to: 'register', when: 'true' },
        message: 'a skill node\'s edges take no "when"; edge 1 has "true"',
      },
    ]);
    const gate: WorkflowNode = { id: 'gate', type: 'hitl', config: { summary: 'ok?', timeoutSeconds: 600 } };
    expect(
      check(
        withNode(gate, [
          { from: 'register', to: 'gate' },
          { from: 'gate', to: 'register', when: 'maybe' },
        ]),
      ),
    ).toContainEqual(
      expect.objectContaining({
        code: 'bad_edge_label',
        message: 'after a hitl node "when" is one of approved, denied, timeout; edge 3 has "maybe"',
      }),
    );
  });
});

describe('node configs and skills', () => {
  it('names the field of a config its node type refuses', () => {
    expect(
      check(
        withNode({ id: 'wait', type: 'hitl', config: { summary: 'x', timeoutSeconds: 1 } }, [
          { from: 'register', to: 'wait' },
        ]),
      ),
    ).toEqual([
      expect.objectContaining({ code: 'invalid_config', node: 'wait', field: 'config.timeoutSeconds' }),
    ]);
    expect(
      check({ ...valid, nodes: [{ ...trigger, config: { kind: 'schedule' } }, classify, register] }),
    ).toContainEqual(
      expect.objectContaining({ code: 'invalid_config', node: 'start', field: 'config.cron' }),
    );
  });

  it('names a skill the catalogue does not hold', () => {
    expect(
      check({
        ...valid,
        nodes: [trigger, { ...classify, config: { ...classify.config, skill: 'intake.nope' } }, register],
      }),
    ).toContainEqual({
      code: 'unknown_skill',
      node: 'classify',
      field: 'config.skill',
      message: 'no skill intake.nope in the catalogue',
    });
    const panel: WorkflowNode = {
      id: 'panel',
      type: 'multi_agent',
      config: {
        strategy: 'debate',
        agents: [
          { role: 'pro', skill: 'risk.register_risks' },
          { role: 'con', skill: 'risk.nope' },
        ],
        task: '$.nodes.classify.output',
      },
    };
    expect(check(withNode(panel, [{ from: 'register', to: 'panel' }]))).toEqual([
      {
        code: 'unknown_skill',
        node: 'panel',
        field: 'config.agents.1.skill',
        message: 'no skill risk.nope in the catalogue',
      },
    ]);
  });
});

describe('mappings', () => {
  const registerWith = (input: unknown): WorkflowGraph => ({
    ...valid,
    nodes: [trigger, classify, { ...register, config: { skill: 'risk.register_risks', input } }],
  });

  it('must name a node that is upstream', () => {
    expect(check(registerWith({ category: '$.nodes.ghost.output.category' }))).toContainEqual({
      code: 'unresolvable_mapping',
      node: 'register',
      field: 'config.input.category',
      message: '$.nodes.ghost.output.category names no node ghost',
    });
    const fromDownstream: WorkflowGraph = {
      ...valid,
      nodes: [
        trigger,
        {
          ...classify,
          config: { skill: 'intake.classify_use_case', input: { description: '$.nodes.register.output.x' } },
        },
        register,
      ],
    };
    expect(check(fromDownstream)).toContainEqual(
      expect.objectContaining({
        code: 'unresolvable_mapping',
        node: 'classify',
        field: 'config.input.description',
        message: '$.nodes.register.output.x: node register is not upstream of classify',
      }),
    );
    expect(check(registerWith({ category: '$.nodes.register.output.risks' }))).toContainEqual(
      expect.objectContaining({
        code: 'unresolvable_mapping',
        message: expect.stringContaining('not upstream of register'),
      }),
    );
  });

  it('must follow what the producer declares', () => {
    expect(check(registerWith({ category: '$.nodes.classify.output.categry' }))).toContainEqual({
      code: 'unresolvable_mapping',
      node: 'register',
      field: 'config.input.category',
      message:
        '$.nodes.classify.output.categry cannot resolve: $.nodes.classify.output in the output of classify declares no field "categry"',
    });
    expect(check(registerWith({ category: '$.nodes.classify.output.category.name' }))).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          '$.nodes.classify.output.category in the output of classify is string, not an object',
        ),
      }),
    );
    expect(check(registerWith({ category: '$.input.txt' }))).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining('$.input in the run input declares no field "txt"'),
      }),
    );
  });

  it('refuses a producer type the consumer cannot take, a field it does not declare, and a missing required one', () => {
    expect(check(registerWith({ category: '$.nodes.classify.output.tags' }))).toContainEqual({
      code: 'schema_mismatch',
      node: 'register',
      field: 'config.input.category',
      message: '$.nodes.classify.output.tags is array; config.input.category expects string',
    });
    expect(check(registerWith('$.nodes.classify.output.confidence'))).toContainEqual(
      expect.objectContaining({
        code: 'schema_mismatch',
        field: 'config.input',
        message: expect.stringContaining('is number; config.input expects object'),
      }),
    );
    expect(check(registerWith({ category: 'ops', confidence: '0.5' }))).toContainEqual(
      expect.objectContaining({
        code: 'schema_mismatch',
        field: 'config.input.confidence',
        message: 'a string where number is expected',
      }),
    );
    expect(check(registerWith({ category: 'ops', confidence: '$.input.count' }))).toEqual([]);
    const extra: WorkflowGraph = {
      ...valid,
      nodes: [
        trigger,
        { ...classify, config: { skill: 'intake.classify_use_case', input: { description: 'x', extra: 1 } } },
        register,
      ],
    };
    expect(check(extra)).toContainEqual(
      expect.objectContaining({
        code: 'schema_mismatch',
        field: 'config.input.extra',
        message: 'the input declares no field "extra"',
      }),
    );
    expect(check(registerWith({ confidence: 0.4 }))).toContainEqual({
      code: 'missing_input',
      node: 'register',
      field: 'config.input.category',
      message: 'the required input "category" is not mapped',
    });
  });

  it('takes a whole output where the consumer expects its type, and checks conditions and tool arguments', () => {
    expect(check(registerWith('$.nodes.classify.output'))).toEqual([]);
    const compare = (value: string, op: string): WorkflowGraph =>
      withNode({ id: 'c', type: 'condition', config: { value, op, compareTo: 1 } }, [
        { from: 'register', to: 'c' },
      ]);
    expect(check(compare('$.nodes.classify.output.confidence', 'gt'))).toEqual([]);
    expect(check(compare('$.nodes.classify.output.tags', 'gt'))).toContainEqual(
      expect.objectContaining({ code: 'schema_mismatch', node: 'c', field: 'config.value' }),
    );
    expect(
      check(
        withNode(
          { id: 't', type: 'tool', config: { tool: 'read', args: '$.nodes.classify.output.category' } },
          [{ from: 'register', to: 't' }],
        ),
      ),
    ).toContainEqual(expect.objectContaining({ code: 'schema_mismatch', node: 't', field: 'config.args' }));
  });
});
