import type {
  WorkflowDetail,
  WorkflowDiff,
  WorkflowGraphInput,
  WorkflowList,
  WorkflowPublished,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionSummary,
} from '@proofpane/api';
import {
  diffGraphs,
  handleWorkflowCommand,
  type SkillLookup,
  type WorkflowCommand,
  type WorkflowGraph,
  WorkflowInvalidError,
  type WorkflowTemplate,
} from '@proofpane/commands';
import { type Actor, ConcurrencyError, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { applyWorkflowEvents } from './rows.js';
import type { WorkflowRow, WorkflowVersionRow } from './tables.js';

const iso = (at: Date | string) => new Date(at).toISOString();

const summaryOf = (row: WorkflowRow): WorkflowSummary => ({
  id: row.id,
  name: row.name,
  status: row.status,
  latestVersion: row.latest_version,
  publishedVersion: row.published_version,
  publishedHash: row.published_hash,
  templateId: row.template_id,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

const versionOf = (row: WorkflowVersionRow): WorkflowVersionSummary => ({
  version: row.version,
  status: row.status,
  hash: row.hash,
  savedBy: row.saved_by,
  savedAt: iso(row.saved_at),
  publishedAt: row.published_at ? iso(row.published_at) : null,
});

/** The list's position: the last row's creation instant and id, opaque to clients. */
const cursorOf = (row: WorkflowRow) =>
  Buffer.from(JSON.stringify([iso(row.created_at), row.id])).toString('base64url');

function parseCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { at: new Date(at), id };
  } catch {
    // Refused below, as any other malformed cursor.
  }
  throw apiError('validation_failed', 'query.after: not a cursor this list gave', {
    errors: [{ field: 'query.after', message: 'not a cursor this list gave' }],
  });
}

/** A refusal the client can act on: the validator's problems as `errors`, a lost race as `conflict`. */
function refusal(error: unknown): unknown {
  if (error instanceof WorkflowInvalidError)
    return apiError('workflow_invalid', error.message, { errors: error.problems });
  if (error instanceof ConcurrencyError)
    return apiError('conflict', 'the workflow changed while this request was decided; read it again');
  return error;
}

/**
 * Workflow definitions of an org: the decider in `@proofpane/commands` (workflows) decides, the rows are
 * written in the append's transaction, and every read is scoped by the caller's org.
 */
export function createWorkflowService(options: {
  db: Kysely<unknown>;
  store: EventStore;
  skills: SkillLookup;
  templates: readonly WorkflowTemplate[];
}) {
  const { db, store, skills } = options;

  const decide = async (org: string, actor: Actor, command: WorkflowCommand) => {
    await handleWorkflowCommand({
      store,
      org,
      actor,
      command,
      inline: (trx, appended) => applyWorkflowEvents(trx, appended),
    }).catch((error: unknown) => {
      throw refusal(error);
    });
  };

  const row = async (org: string, workflowId: string) => {
    const { rows } =
      await sql<WorkflowRow>`SELECT * FROM workflows WHERE org = ${org} AND id = ${workflowId}`.execute(db);
    if (!rows[0]) throw apiError('workflow_not_found', `no workflow ${workflowId}`);
    return rows[0];
  };

  const versionRow = async (org: string, workflowId: string, version: number) => {
    const { rows } = await sql<WorkflowVersionRow>`SELECT * FROM workflow_versions
      WHERE org = ${org} AND workflow_id = ${workflowId} AND version = ${version}`.execute(db);
    if (!rows[0])
      throw apiError('workflow_version_not_found', `workflow ${workflowId} has no version ${version}`);
    return rows[0];
  };

  const service = {
    async get({ org, workflowId }: { org: string; workflowId: string }): Promise<WorkflowDetail> {
      const workflow = await row(org, workflowId);
      const { rows } = await sql<WorkflowVersionRow>`SELECT * FROM workflow_versions
        WHERE org = ${org} AND workflow_id = ${workflowId} ORDER BY version`.execute(db);
      const latest = rows.find((v) => v.version === workflow.latest_version);
      return {
        ...summaryOf(workflow),
        versions: rows.map(versionOf),
        graph: latest ? (JSON.parse(latest.graph) as WorkflowGraph) : { nodes: [], edges: [] },
      };
    },

    async create(input: {
      org: string;
      actor: Actor;
      name: string;
      graph: WorkflowGraphInput;
      templateId?: string;
    }) {
      const workflowId = newId('wf');
      await decide(input.org, input.actor, {
        type: 'create',
        workflowId,
        name: input.name,
        graph: input.graph as WorkflowGraph,
        templateId: input.templateId,
        skills,
      });
      return service.get({ org: input.org, workflowId });
    },

    async save(input: { org: string; actor: Actor; workflowId: string; graph: WorkflowGraphInput }) {
      await decide(input.org, input.actor, {
        type: 'save',
        workflowId: input.workflowId,
        graph: input.graph as WorkflowGraph,
        skills,
      });
      return service.get({ org: input.org, workflowId: input.workflowId });
    },

    async publish(input: { org: string; actor: Actor; workflowId: string }): Promise<WorkflowPublished> {
      await decide(input.org, input.actor, { type: 'publish', workflowId: input.workflowId, skills });
      const workflow = await row(input.org, input.workflowId);
      return { version: workflow.published_version!, hash: workflow.published_hash! };
    },

    async deprecate(input: { org: string; actor: Actor; workflowId: string }): Promise<WorkflowSummary> {
      await decide(input.org, input.actor, { type: 'deprecate', workflowId: input.workflowId });
      return summaryOf(await row(input.org, input.workflowId));
    },

    async list(input: {
      org: string;
      status?: WorkflowStatus;
      after?: string;
      limit: number;
    }): Promise<WorkflowList> {
      const after = input.after === undefined ? undefined : parseCursor(input.after);
      const { rows } = await sql<WorkflowRow>`SELECT * FROM workflows WHERE org = ${input.org}
        ${input.status ? sql`AND status = ${input.status}` : sql``}
        ${after ? sql`AND (created_at, id) < (${after.at}, ${after.id})` : sql``}
        ORDER BY created_at DESC, id DESC LIMIT ${input.limit + 1}`.execute(db);
      const page = rows.slice(0, input.limit);
      return {
        workflows: page.map(summaryOf),
        next: rows.length > input.limit ? cursorOf(page.at(-1)!) : null,
      };
    },

    async version(input: { org: string; workflowId: string; version: number }): Promise<WorkflowVersion> {
      await row(input.org, input.workflowId);
      const found = await versionRow(input.org, input.workflowId, input.version);
      return { ...versionOf(found), graph: JSON.parse(found.graph) as WorkflowGraph };
    },

    async diff(input: {
      org: string;
      workflowId: string;
      from?: number;
      to?: number;
    }): Promise<WorkflowDiff> {
      const workflow = await row(input.org, input.workflowId);
      const to = input.to ?? workflow.latest_version;
      const from = input.from ?? Math.max(1, to - 1);
      const [before, after] = await Promise.all([
        versionRow(input.org, input.workflowId, from),
        versionRow(input.org, input.workflowId, to),
      ]);
      return {
        from,
        to,
        ...diffGraphs(JSON.parse(before.graph) as WorkflowGraph, JSON.parse(after.graph) as WorkflowGraph),
      };
    },

    templates: () => options.templates,

    async fromTemplate(input: { org: string; actor: Actor; templateId: string; name?: string | undefined }) {
      const template = options.templates.find((t) => t.id === input.templateId);
      if (!template)
        throw apiError('workflow_template_not_found', `no workflow template ${input.templateId}`);
      return service.create({
        org: input.org,
        actor: input.actor,
        name: input.name ?? template.name,
        graph: structuredClone(template.graph),
        templateId: template.id,
      });
    },
  };
  return service;
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
