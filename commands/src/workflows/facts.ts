import { canonicalJson, sha256Hex } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';
import type { WorkflowGraph } from './graph.js';

/** The events of one workflow definition, subject `workflow/<workflow id>`. */
export type WorkflowFact = Fact<
  'cp.workflow.created' | 'cp.workflow.draft.saved' | 'cp.workflow.published' | 'cp.workflow.deprecated'
>;

export const workflowSubject = (workflowId: string) => `workflow/${workflowId}`;

/** The SHA-256 of a graph's canonical JSON (RFC 8785): what a published version is known and pinned by. */
export const graphHash = (graph: WorkflowGraph): string => sha256Hex(canonicalJson(graph));
