import { graphHash, type WorkflowGraph } from '@proofpane/commands';
import { canonicalJson, type EventEnvelope } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';

/** The definition events the rows follow; the engine's `cp.workflow.run.*` and `step.*` are not among them. */
export const WORKFLOW_DEFINITION_TYPES = [
  'cp.workflow.created',
  'cp.workflow.draft.saved',
  'cp.workflow.published',
  'cp.workflow.deprecated',
] as const;

/**
 * Applies definition events to `workflows` and `workflow_versions`, in order: the inline write of an
 * append and, event by event, the rebuild. Every column comes from an event (instants are the events'
 * times, graphs their canonical JSON, the form the log keeps), so a rebuild writes the rows the appends
 * wrote.
 */
export async function applyWorkflowEvents(
  trx: Kysely<unknown>,
  events: readonly EventEnvelope[],
): Promise<void> {
  for (const event of events) {
    const at = new Date(event.time);
    switch (event.type) {
      case 'cp.workflow.created': {
        const data = event.data as { workflowId: string; name: string; templateId?: string };
        await sql`INSERT INTO workflows (id, org, name, status, latest_version, template_id, created_at, updated_at)
          VALUES (${data.workflowId}, ${event.org}, ${data.name}, 'draft', 0, ${data.templateId ?? null}, ${at}, ${at})`.execute(
          trx,
        );
        break;
      }
      case 'cp.workflow.draft.saved': {
        const data = event.data as { workflowId: string; version: number; graph: WorkflowGraph };
        await sql`INSERT INTO workflow_versions (workflow_id, version, org, graph, hash, status, saved_by, saved_at)
          VALUES (${data.workflowId}, ${data.version}, ${event.org}, ${canonicalJson(data.graph)},
            ${graphHash(data.graph)}, 'draft', ${event.actor.id}, ${at})`.execute(trx);
        await sql`UPDATE workflows SET latest_version = ${data.version}, updated_at = ${at}
          WHERE org = ${event.org} AND id = ${data.workflowId}`.execute(trx);
        break;
      }
      case 'cp.workflow.published': {
        const data = event.data as { workflowId: string; version: number; hash: string };
        await sql`UPDATE workflow_versions SET status = 'published', published_at = ${at}
          WHERE org = ${event.org} AND workflow_id = ${data.workflowId} AND version = ${data.version}`.execute(
          trx,
        );
        await sql`UPDATE workflows SET status = 'published', published_version = ${data.version},
          published_hash = ${data.hash}, updated_at = ${at}
          WHERE org = ${event.org} AND id = ${data.workflowId}`.execute(trx);
        break;
      }
      case 'cp.workflow.deprecated': {
        const data = event.data as { workflowId: string };
        await sql`UPDATE workflows SET status = 'deprecated', updated_at = ${at}
          WHERE org = ${event.org} AND id = ${data.workflowId}`.execute(trx);
        break;
      }
    }
  }
}
