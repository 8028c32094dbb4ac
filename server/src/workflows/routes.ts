import {
  createWorkflowBody,
  saveWorkflowBody,
  workflowDetail,
  workflowDiff,
  workflowDiffQuery,
  workflowFromTemplateBody,
  workflowList,
  workflowListQuery,
  workflowPublished,
  workflowSummary,
  workflowTemplateList,
  workflowVersion,
  workflowVersionParams,
} from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { idParams } from '../http/route-params.js';
import { bearer } from '../http/route-security.js';
import type { WorkflowService } from './service.js';

/**
 * `/api/workflows` and `/api/workflow-templates`: members read the org's workflows and the template
 * catalogue; admins create, save, publish, deprecate and clone, as they curate policy and MCP servers.
 */
export function workflowRoutes(options: { service: WorkflowService }): FastifyPluginAsync {
  const { service } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflows'];
    const reader = { onRequest: requireRole('member') };
    const editor = { onRequest: requireRole('admin') };

    api.post(
      '/api/workflows',
      {
        ...editor,
        schema: {
          tags,
          security: bearer,
          summary: 'Create a workflow; its graph is version 1, a draft',
          body: createWorkflowBody,
          response: { 201: workflowDetail },
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        reply.status(201);
        return service.create({ org, actor, name: request.body.name, graph: request.body.graph });
      },
    );

    api.get(
      '/api/workflows',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: "The org's workflows, newest first; `next` continues with `after`",
          querystring: workflowListQuery,
          response: { 200: workflowList },
        },
      },
      async (request) => {
        const { status, after, limit } = request.query;
        return service.list({
          org: principalOf(request).org,
          limit,
          ...(status ? { status } : {}),
          ...(after !== undefined ? { after } : {}),
        });
      },
    );

    api.post(
      '/api/workflows/from-template',
      {
        ...editor,
        schema: {
          tags,
          security: bearer,
          summary: "Clone a template into the org as a new workflow's version 1",
          body: workflowFromTemplateBody,
          response: { 201: workflowDetail },
        },
      },
      async (request, reply) => {
        const { org, actor } = principalOf(request);
        reply.status(201);
        return service.fromTemplate({
          org,
          actor,
          templateId: request.body.templateId,
          name: request.body.name,
        });
      },
    );

    api.get(
      '/api/workflows/:id',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'A workflow, its versions and its latest graph',
          params: idParams,
          response: { 200: workflowDetail },
        },
      },
      async (request) => service.get({ org: principalOf(request).org, workflowId: request.params.id }),
    );

    api.put(
      '/api/workflows/:id',
      {
        ...editor,
        schema: {
          tags,
          security: bearer,
          summary: 'Save a graph as a new draft version (the latest graph again saves nothing)',
          params: idParams,
          body: saveWorkflowBody,
          response: { 200: workflowDetail },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.save({ org, actor, workflowId: request.params.id, graph: request.body.graph });
      },
    );

    api.post(
      '/api/workflows/:id/publish',
      {
        ...editor,
        schema: {
          tags,
          security: bearer,
          summary: "Publish the latest draft; answers its version and its graph's SHA-256",
          params: idParams,
          response: { 200: workflowPublished },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.publish({ org, actor, workflowId: request.params.id });
      },
    );

    api.post(
      '/api/workflows/:id/deprecate',
      {
        ...editor,
        schema: {
          tags,
          security: bearer,
          summary: 'Deprecate a published workflow',
          params: idParams,
          response: { 200: workflowSummary },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        return service.deprecate({ org, actor, workflowId: request.params.id });
      },
    );

    api.get(
      '/api/workflows/:id/versions/:version',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'One version of a workflow, with its graph',
          params: workflowVersionParams,
          response: { 200: workflowVersion },
        },
      },
      async (request) =>
        service.version({
          org: principalOf(request).org,
          workflowId: request.params.id,
          version: request.params.version,
        }),
    );

    api.get(
      '/api/workflows/:id/diff',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'Nodes and edges added, removed and changed between two versions',
          params: idParams,
          querystring: workflowDiffQuery,
          response: { 200: workflowDiff },
        },
      },
      async (request) =>
        service.diff({
          org: principalOf(request).org,
          workflowId: request.params.id,
          ...(request.query.from !== undefined ? { from: request.query.from } : {}),
          ...(request.query.to !== undefined ? { to: request.query.to } : {}),
        }),
    );

    api.get(
      '/api/workflow-templates',
      {
        ...reader,
        schema: {
          tags,
          security: bearer,
          summary: 'The global template catalogue, each with an input it runs on',
          response: { 200: workflowTemplateList },
        },
      },
      async () => ({ templates: [...service.templates()] }),
    );
  };
}
