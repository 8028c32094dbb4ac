import type { WorkflowDetail, WorkflowVersion } from '@proofpane/api';
import type { PinnedWorkflow, PublishedWorkflows, WorkflowGraph } from '@proofpane/commands';
import { ApiError } from '../http/errors.js';

/** What the engine reads of the workflow definitions (`app.workflows`). */
export interface WorkflowReader {
  get(input: { org: string; workflowId: string }): Promise<WorkflowDetail>;
  version(input: { org: string; workflowId: string; version: number }): Promise<WorkflowVersion>;
}

const missing = (error: unknown) =>
  error instanceof ApiError &&
  (error.code === 'workflow_not_found' || error.code === 'workflow_version_not_found');

/**
 * Published versions as the engine pins them: the version named (published once, even if the workflow was
 * deprecated since, so runs already going can finish), or the latest published of a live workflow.
 */
export function publishedWorkflows(reader: WorkflowReader): PublishedWorkflows {
  return {
    async find({ org, workflowId, version }) {
      let detail: WorkflowDetail;
      try {
        detail = await reader.get({ org, workflowId });
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
      const wanted = version ?? (detail.status === 'deprecated' ? null : detail.publishedVersion);
      if (!wanted || !detail.versions.some((v) => v.version === wanted && v.status === 'published'))
        return undefined;
      const found = await reader.version({ org, workflowId, version: wanted });
      const pinned: PinnedWorkflow = {
        id: workflowId,
        name: detail.name,
        version: wanted,
        sha256: found.hash,
        graph: found.graph as WorkflowGraph,
      };
      return pinned;
    },
  };
}
