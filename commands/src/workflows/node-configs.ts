import { Cron } from 'croner';
import { z } from 'zod';
import type { NodeType } from './graph.js';
import { integrationOperations } from './integration-operations.js';
import { mappingSchema } from './mapping-schema.js';

/** The seven tools a `tool` node may call (`daemon/src/tools/schemas.ts` names the same, a spec checks). */
export const workflowToolNames = ['read', 'write', 'edit', 'bash', 'glob', 'grep', 'list'] as const;
export type WorkflowToolName = (typeof workflowToolNames)[number];

export const triggerKinds = ['manual', 'schedule', 'webhook', 'event'] as const;
export const conditionOperators = [
  'equals',
  'not_equals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'in',
  'exists',
  'truthy',
] as const;
export type ConditionOperator = (typeof conditionOperators)[number];
/** Operators that look at `value` alone; the others compare it with `compareTo`. */
export const unaryOperators: readonly ConditionOperator[] = ['exists', 'truthy'];

export const hitlRisks = ['low', 'medium', 'high'] as const;
/**
 * `consensus` and `adversarial_review` run the multi-agent primitives (docs/multi-agent.md); `vote` is a
 * consensus by vote. `sequential`, `parallel` and `debate` are kept for graphs saved earlier and fail as
 * `not_available` when they run.
 */
export const multiAgentStrategies = [
  'sequential',
  'parallel',
  'debate',
  'vote',
  'consensus',
  'adversarial_review',
] as const;
export const reviewRoles = ['drafter', 'critic', 'reviser'] as const;

const MAX_SCHEMA_CHARS = 16_384;
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\0'), 'must not contain NUL');

/** A JSON Schema (an object), kept as given; bounded so a graph stays small. */
export const jsonSchemaObject = () =>
  z.record(z.string(), z.unknown()).refine((schema) => JSON.stringify(schema).length <= MAX_SCHEMA_CHARS, {
    message: `a schema of at most ${MAX_SCHEMA_CHARS} characters`,
  });

/** What every node but the trigger may say about failures: attempts in all, the first wait, a deadline. */
const retry = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10),
  backoffMs: z.number().int().min(0).max(3_600_000),
});
const stepSettings = {
  retry: retry.optional(),
  timeoutMs: z
    .number()
    .int()
    .min(1)
    .max(24 * 3_600_000)
    .optional(),
};

const validCron = (cron: string) => {
  try {
    new Cron(cron, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
};

export const triggerConfig = z
  .strictObject({
    kind: z.enum(triggerKinds),
    /** The run input's JSON Schema; a run whose input fails it is refused before it starts. */
    inputSchema: jsonSchemaObject().optional(),
    cron: text(100).refine(validCron, 'not a cron expression croner understands').optional(),
    /** An audit event type in the org (`cp.…`) that starts a run. */
    eventType: text(100)
      .regex(/^cp\.[a-z0-9.-]+$/, 'an event type such as cp.hitl.resolved')
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (config.kind === 'schedule' && !config.cron)
      ctx.addIssue({ code: 'custom', path: ['cron'], message: 'a schedule trigger needs a cron expression' });
    if (config.kind !== 'schedule' && config.cron)
      ctx.addIssue({
        code: 'custom',
        path: ['cron'],
        message: 'only a schedule trigger takes a cron expression',
      });
    if (config.kind === 'event' && !config.eventType)
      ctx.addIssue({ code: 'custom', path: ['eventType'], message: 'an event trigger needs an event type' });
    if (config.kind !== 'event' && config.eventType)
      ctx.addIssue({
        code: 'custom',
        path: ['eventType'],
        message: 'only an event trigger takes an event type',
      });
  });

export const skillConfig = z.strictObject({
  /** A skill id from the catalogue, `category.name`. */
  skill: text(100).regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a skill id such as intake.classify_use_case'),
  input: mappingSchema(),
  provider: text(40).optional(),
  model: text(200).optional(),
  ...stepSettings,
});

/** A comparison on mapped values, evaluated by `evaluateCondition`; nothing is ever evaluated as code. */
export const conditionConfig = z
  .strictObject({
    value: mappingSchema(),
    op: z.enum(conditionOperators),
    compareTo: mappingSchema().optional(),
    ...stepSettings,
  })
  .superRefine((config, ctx) => {
    const unary = unaryOperators.includes(config.op);
    if (!unary && config.compareTo === undefined)
      ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `"${config.op}" needs compareTo` });
    if (unary && config.compareTo !== undefined)
      ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `"${config.op}" takes no compareTo` });
  });

const agentModel = {
  provider: text(40).optional(),
  model: text(200).optional(),
};

/**
 * Who takes part, how they combine, and on what. For `consensus`: one agent per entry (`n` copies of the
 * default model when none names a model), `method`, `threshold`, `outputSchema`, `judge`. For
 * `adversarial_review`: agents named by role (drafter, critic, reviser; a missing role uses the default
 * model), `rounds`, `rubric`. `task` maps the question or the task from the run.
 */
export const multiAgentConfig = z
  .strictObject({
    strategy: z.enum(multiAgentStrategies),
    agents: z
      .array(
        z.strictObject({
          role: text(100),
          skill: text(100).optional(),
          ...agentModel,
          temperature: z.number().min(0).max(2).optional(),
        }),
      )
      .min(1)
      .max(8),
    task: mappingSchema(),
    rounds: z.number().int().min(1).max(5).optional(),
    method: z.enum(['vote', 'entropy']).optional(),
    threshold: z.number().min(0).max(10).optional(),
    outputSchema: jsonSchemaObject().optional(),
    judge: z.strictObject({ provider: text(40), model: text(200) }).optional(),
    rubric: text(20_000).optional(),
    ...stepSettings,
  })
  .superRefine((config, ctx) => {
    const consensus = config.strategy === 'consensus' || config.strategy === 'vote';
    for (const key of ['method', 'threshold', 'outputSchema', 'judge'] as const)
      if (!consensus && config[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `only a consensus takes ${key}` });
    if (config.strategy !== 'adversarial_review' && config.rubric !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rubric'],
        message: 'only an adversarial review takes a rubric',
      });
    if (config.strategy === 'adversarial_review')
      config.agents.forEach((agent, i) => {
        if (!(reviewRoles as readonly string[]).includes(agent.role))
          ctx.addIssue({
            code: 'custom',
            path: ['agents', i, 'role'],
            message: `a review role is one of ${reviewRoles.join(', ')}`,
          });
      });
  });

export const mcpCallConfig = z.strictObject({
  /** The server's name in the org's MCP registry. */
  server: text(100),
  tool: text(256),
  args: mappingSchema(),
  ...stepSettings,
});

export const toolConfig = z.strictObject({
  tool: z.enum(workflowToolNames),
  args: mappingSchema(),
  ...stepSettings,
});

export const hitlConfig = z.strictObject({
  /** What the person approving reads. */
  summary: mappingSchema(),
  timeoutSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400),
  risk: z.enum(hitlRisks).optional(),
  ...stepSettings,
});

/** An external system through the org's connection (integration-operations.ts names the operations). */
export const integrationConfig = z.strictObject({
  /** The connection's id (`GET /api/integrations`); its kind must be the operation's vendor. */
  connection: text(100).regex(/^int_[A-Za-z0-9_-]{1,96}$/, 'a connection id such as int_…'),
  operation: z.enum(integrationOperations),
  args: mappingSchema(),
  ...stepSettings,
});

export const nodeConfigSchemas = {
  trigger: triggerConfig,
  skill: skillConfig,
  condition: conditionConfig,
  multi_agent: multiAgentConfig,
  mcp_call: mcpCallConfig,
  tool: toolConfig,
  hitl: hitlConfig,
  integration: integrationConfig,
} as const satisfies Record<NodeType, z.ZodType>;

export type NodeConfig<T extends NodeType> = z.output<(typeof nodeConfigSchemas)[T]>;
export type TriggerConfig = NodeConfig<'trigger'>;
export type SkillConfig = NodeConfig<'skill'>;
export type ConditionConfig = NodeConfig<'condition'>;
export type MultiAgentConfig = NodeConfig<'multi_agent'>;
export type McpCallConfig = NodeConfig<'mcp_call'>;
export type ToolConfig = NodeConfig<'tool'>;
export type HitlConfig = NodeConfig<'hitl'>;
export type IntegrationConfig = NodeConfig<'integration'>;

/** A node's config typed by its node type, for the engine once the graph has validated. */
export const parseNodeConfig = <T extends NodeType>(type: T, config: unknown): NodeConfig<T> =>
  nodeConfigSchemas[type].parse(config) as NodeConfig<T>;

/**
 * The `when` labels a node's outgoing edges may carry: a condition's result, a person's decision. An
 * edge without `when` is taken when the node succeeds: after a condition whichever way it went, after
 * a hitl node on approval.
 */
export const edgeLabels: Record<NodeType, readonly string[]> = {
  trigger: [],
  skill: [],
  condition: ['true', 'false'],
  multi_agent: [],
  mcp_call: [],
  tool: [],
  hitl: ['approved', 'denied', 'timeout'],
  integration: [],
};
