import type { WorkflowGraph, WorkflowNode } from './graph.js';
import { checkStructure, type GraphStructure } from './graph-structure.js';
import { integrationOperationSchemas } from './integration-operations.js';
import {
  isReference,
  type MappingReference,
  mappingReferences,
  type PathSegment,
  referenceText,
} from './mapping.js';
import { type NodeConfig, nodeConfigSchemas } from './node-configs.js';
import {
  ANY_OUTPUT,
  CONDITION_OUTPUT,
  HITL_OUTPUT,
  type JsonSchema,
  type SkillLookup,
} from './node-outputs.js';
import { describeTypes, schemaAt, schemaStep, typeOfValue, typesAgree, typesOf } from './schema-types.js';
import { fieldOf, type ValidationProblem } from './validation-problem.js';

type Parsed = {
  [T in WorkflowNode['type']]: { node: WorkflowNode; type: T; config: NodeConfig<T> };
}[WorkflowNode['type']];

/** A mapping field of a node and the schema its value must meet (`undefined`: any value). */
interface MappedField {
  name: string;
  mapping: unknown;
  expects: JsonSchema | undefined;
}

const ORDERED: JsonSchema = { type: ['number', 'string'] };
const OBJECT: JsonSchema = { type: 'object' };

function mappedFields(parsed: Parsed, skills: SkillLookup): MappedField[] {
  switch (parsed.type) {
    case 'trigger':
      return [];
    case 'skill':
      return [
        {
          name: 'input',
          mapping: parsed.config.input,
          expects: skills.get(parsed.config.skill)?.inputSchema,
        },
      ];
    case 'condition': {
      const { op, value, compareTo } = parsed.config;
      const ordered = op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte';
      return [
        {
          name: 'value',
          mapping: value,
          expects: ordered ? ORDERED : op === 'contains' ? { type: ['string', 'array'] } : undefined,
        },
        ...(compareTo === undefined
          ? []
          : [
              {
                name: 'compareTo',
                mapping: compareTo,
                expects: ordered ? ORDERED : op === 'in' ? { type: ['string', 'array'] } : undefined,
              },
            ]),
      ];
    }
    case 'multi_agent':
      return [{ name: 'task', mapping: parsed.config.task, expects: undefined }];
    case 'mcp_call':
    case 'tool':
      return [{ name: 'args', mapping: parsed.config.args, expects: OBJECT }];
    case 'hitl':
      return [{ name: 'summary', mapping: parsed.config.summary, expects: undefined }];
    case 'integration':
      return [
        {
          name: 'args',
          mapping: parsed.config.args,
          expects: integrationOperationSchemas[parsed.config.operation].args,
        },
      ];
    default:
      return parsed satisfies never;
  }
}

/** What a node's output looks like, as far as the graph tells. */
function outputSchema(parsed: Parsed | undefined, skills: SkillLookup): JsonSchema {
  switch (parsed?.type) {
    case 'trigger':
      return parsed.config.inputSchema ?? ANY_OUTPUT;
    case 'skill':
      return skills.get(parsed.config.skill)?.outputSchema ?? ANY_OUTPUT;
    case 'condition':
      return CONDITION_OUTPUT;
    case 'hitl':
      return HITL_OUTPUT;
    case 'integration':
      return integrationOperationSchemas[parsed.config.operation].output;
    default:
      return ANY_OUTPUT;
  }
}

class NodeChecks {
  readonly problems: ValidationProblem[] = [];
  constructor(
    private readonly structure: GraphStructure,
    private readonly parsed: ReadonlyMap<string, Parsed>,
    private readonly skills: SkillLookup,
  ) {}

  private report(node: string, code: ValidationProblem['code'], at: readonly PathSegment[], message: string) {
    this.problems.push({ code, node, field: fieldOf(['config', ...at]), message });
  }

  /** The schema a reference stands for, or why it cannot resolve (reported here). */
  private referenced(consumer: string, ref: MappingReference, at: readonly PathSegment[]) {
    const { source } = ref;
    let producer: JsonSchema;
    let what: string;
    if (source.kind === 'input') {
      producer = outputSchema(
        this.structure.trigger && this.parsed.get(this.structure.trigger.id),
        this.skills,
      );
      what = 'the run input';
    } else {
      if (!this.structure.nodes.has(source.nodeId)) {
        this.report(consumer, 'unresolvable_mapping', at, `${ref.text} names no node ${source.nodeId}`);
        return undefined;
      }
      if (source.nodeId === consumer || !this.structure.ancestorsOf(consumer).has(source.nodeId)) {
        this.report(
          consumer,
          'unresolvable_mapping',
          at,
          `${ref.text}: node ${source.nodeId} is not upstream of ${consumer}`,
        );
        return undefined;
      }
      producer = outputSchema(this.parsed.get(source.nodeId), this.skills);
      what = `the output of ${source.nodeId}`;
    }
    const found = schemaAt(producer, ref.path);
    if (!found.found) {
      const where = referenceText({ source, path: ref.path.slice(0, found.depth) });
      this.report(
        consumer,
        'unresolvable_mapping',
        at,
        `${ref.text} cannot resolve: ${where} in ${what} ${found.reason}`,
      );
      return undefined;
    }
    return { schema: found.schema };
  }

  /** Walks a mapping beside the schema its consumer expects, reporting types that cannot agree. */
  private against(consumer: string, mapping: unknown, expects: JsonSchema | undefined, at: PathSegment[]) {
    const expected = typesOf(expects);
    if (typeof mapping === 'string' && isReference(mapping)) {
      const [ref] = mappingReferences(mapping);
      const resolved = ref && this.referenced(consumer, ref, at);
      const produced = resolved && typesOf(resolved.schema);
      if (produced && expected && !typesAgree(produced, expected))
        this.report(
          consumer,
          'schema_mismatch',
          at,
          `${mapping} is ${describeTypes(produced)}; ${fieldOf(['config', ...at])} expects ${describeTypes(expected)}`,
        );
      return;
    }
    const literal = new Set([typeOfValue(mapping)]);
    if (expected && !typesAgree(literal, expected)) {
      this.report(
        consumer,
        'schema_mismatch',
        at,
        `a ${describeTypes(literal)} where ${describeTypes(expected)} is expected`,
      );
      return;
    }
    if (Array.isArray(mapping)) {
      mapping.forEach((item, i) => {
        const step = schemaStep(expects, i);
        this.against(consumer, item, step.found ? step.schema : undefined, [...at, i]);
      });
    } else if (mapping !== null && typeof mapping === 'object') {
      for (const [key, item] of Object.entries(mapping)) {
        const step = schemaStep(expects, key);
        if (!step.found) {
          this.report(consumer, 'schema_mismatch', [...at, key], `the input ${step.reason}`);
          continue;
        }
        this.against(consumer, item, step.schema, [...at, key]);
      }
      const required = expects?.required;
      if (Array.isArray(required))
        for (const key of required)
          if (typeof key === 'string' && !Object.hasOwn(mapping, key))
            this.report(consumer, 'missing_input', [...at, key], `the required input "${key}" is not mapped`);
    }
  }

  node(parsed: Parsed) {
    for (const field of mappedFields(parsed, this.skills))
      this.against(parsed.node.id, field.mapping, field.expects, [field.name]);
  }
}

/**
 * Every rule a workflow graph must meet before it is saved or published, each problem naming its
 * node or edge. `skills` is the catalogue the skill nodes and their schemas are checked against.
 */
export function validateWorkflowGraph(graph: WorkflowGraph, skills: SkillLookup): ValidationProblem[] {
  const { problems, structure } = checkStructure(graph);
  const parsed = new Map<string, Parsed>();
  for (const node of structure.nodes.values()) {
    const schema = (
      nodeConfigSchemas as Record<string, (typeof nodeConfigSchemas)[keyof typeof nodeConfigSchemas]>
    )[node.type];
    if (!schema) continue;
    const result = schema.safeParse(node.config);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({
          code: 'invalid_config',
          node: node.id,
          field: fieldOf(['config', ...(issue.path as PathSegment[])]),
          message: issue.message,
        });
      continue;
    }
    const entry = { node, type: node.type, config: result.data } as Parsed;
    const named =
      entry.type === 'skill'
        ? [{ skill: entry.config.skill, field: 'config.skill' }]
        : entry.type === 'multi_agent'
          ? entry.config.agents.flatMap((agent, i) =>
              agent.skill === undefined ? [] : [{ skill: agent.skill, field: `config.agents.${i}.skill` }],
            )
          : [];
    for (const { skill, field } of named)
      if (!skills.get(skill))
        problems.push({
          code: 'unknown_skill',
          node: node.id,
          field,
          message: `no skill ${skill} in the catalogue`,
        });
    parsed.set(node.id, entry);
  }
  const checks = new NodeChecks(structure, parsed, skills);
  for (const entry of parsed.values()) checks.node(entry);
  return [...problems, ...checks.problems];
}
