import {
  type WorkflowNodeTypeList,
  workflowNodeTypeList,
  workflowValidateBody,
  workflowValidation,
} from '@proofpane/api';
import {
  edgeLabels,
  nodeConfigSchemas,
  nodeTypes,
  type SkillLookup,
  validateWorkflowGraph,
  type WorkflowGraph,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';

/**
 * Built once from the engine's own node types and config schemas, so a node type the engine gains
 * reaches a builder's palette without a change here.
 */
function describeNodeTypes(): WorkflowNodeTypeList {
  const schemas = nodeConfigSchemas as Record<string, z.ZodType>;
  const labels = edgeLabels as Record<string, readonly string[]>;
  return {
    nodeTypes: nodeTypes.flatMap((type) => {
      const schema = schemas[type];
      if (!schema) return [];
      const configSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      return [{ type, configSchema, edgeLabels: [...(labels[type] ?? [])] }];
    }),
  };
}

/**
 * What a workflow builder asks before it saves: the node types and their config schemas, and a dry
 * validation of a graph that stores nothing and appends no event. Members may ask both.
 */
export function workflowBuilderRoutes(options: { skills: SkillLookup }): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflows'];
    const reader = { onRequest: requireRole('member') };
    let described: WorkflowNodeTypeList | undefined;

    api.get(
      '/api/workflow-node-types',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'The node types the workflow engine runs, with their config schemas and edge labels',
          response: { 200: workflowNodeTypeList },
        },
      },
      async () => {
        described ??= describeNodeTypes();
        return described;
      },
    );

    api.post(
      '/api/workflows/validate',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'Check a graph as saving it would, storing nothing; each problem names its node or edge',
          body: workflowValidateBody,
          response: { 200: workflowValidation },
        },
      },
      async (request) => {
        const errors = validateWorkflowGraph(request.body.graph as WorkflowGraph, options.skills);
        return { valid: errors.length === 0, errors };
      },
    );
  };
}
