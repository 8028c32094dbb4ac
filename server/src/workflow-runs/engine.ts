import {
  type CompiledPolicy,
  type HumanApprovals,
  type KeptOutputs,
  type MultiAgentRunner,
  mcpCallExecutor,
  multiAgentExecutor,
  notAvailable,
  type RunSkillRequest,
  type SkillRunResult,
  type StepExecutor,
  skillExecutor,
  toolExecutor,
  WorkflowEngine,
  workerIdentity,
} from '@proofpane/commands';
import { argsHash } from '@proofpane/daemon';
import { workflowRunCandidates } from '@proofpane/projections';
import type { FastifyBaseLogger } from 'fastify';
import { mcpClientConnections } from '../mcp/client-connections.js';
import type { Runtime } from '../runtime/runtime.js';
import { LocalWorkspaces, workspacesDir } from '../tools/runtime.js';
import { publishedWorkflows, type WorkflowReader } from './published-workflows.js';

/**
 * The engine of this process, wired: skills run through the governed skill runner, tools through the
 * governed tool path in this process's sandboxed workspaces, MCP calls through the same path on the
 * SDK's client (a stdio server confined to the org's workspace sandbox), hitl steps through the HITL service, runs
 * found through the workflow runs read model. On the embedded database only this process can be a worker.
 */
export function createWorkflowEngine(options: {
  runtime: Runtime;
  workflows: WorkflowReader;
  runSkill: (request: RunSkillRequest) => Promise<SkillRunResult>;
  /** Consensus and adversarial review for multi_agent steps. */
  multiAgent?: MultiAgentRunner | undefined;
  policies: { current(options: { org: string }): Promise<{ version: number; compiled: CompiledPolicy }> };
  approvals: HumanApprovals;
  /** Integration steps' outputs, kept outside the log (decisions/0052). */
  kept: KeptOutputs;
  /** The integrations service once it is registered (after this plugin): runs `integration` steps. */
  integrations: () => { workflowNode: StepExecutor } | undefined;
  log: FastifyBaseLogger;
}): WorkflowEngine {
  const { runtime } = options;
  const { config, store, database } = runtime;
  const workspaces = new LocalWorkspaces(workspacesDir(config));
  return new WorkflowEngine({
    store,
    workflows: publishedWorkflows(options.workflows),
    executors: {
      skill: skillExecutor(options.runSkill),
      ...(options.multiAgent ? { multi_agent: multiAgentExecutor(options.multiAgent) } : {}),
      tool: toolExecutor({
        store,
        policy: (org) => options.policies.current({ org }),
        runtime: (org) => workspaces.forOrg(org),
        argsHash,
      }),
      mcp_call: mcpCallExecutor({
        store,
        policy: (org) => options.policies.current({ org }),
        connections: mcpClientConnections({ db: database.db, workspaceDir: (org) => workspaces.dirOf(org) }),
        argsHash,
      }),
      integration: (context) =>
        (
          options.integrations()?.workflowNode ??
          notAvailable('integration steps need the integrations service, which this server does not run')
        )(context),
    },
    approvals: options.approvals,
    kept: options.kept,
    index: { candidates: (input) => workflowRunCandidates(database.db, input) },
    identity: workerIdentity({
      workerId: config.workflowEngine.workerId,
      singleProcess: database.driver === 'pglite',
    }),
    leaseMs: config.workflowEngine.leaseMs,
    sweepMs: config.workflowEngine.sweepMs,
    onError: (err, where) => options.log.warn({ err }, `workflow engine: ${where}`),
  });
}
