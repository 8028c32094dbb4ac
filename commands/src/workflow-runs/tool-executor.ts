import type { EventStore } from '@proofpane/core';
import type { CompiledPolicy } from '../policy/compile.js';
import { governedToolCall, type ToolCallRuntime } from '../tools/governed-tool-call.js';
import { toolConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor } from './executors.js';
import { mappedArguments } from './mapped-arguments.js';

/**
 * A tool node: its arguments mapped from the run, then one governed tool call (policy, DLP, audit with
 * the run's id) on the org's runtime. A refusal fails the step for good; a tool that answered with an
 * error may be tried again by the node's retry policy.
 */
export function toolExecutor(options: {
  store: EventStore;
  policy(org: string): Promise<{ version: number; compiled: CompiledPolicy }>;
  runtime(org: string): ToolCallRuntime;
  /** The arguments' hash as the runtime computes it. */
  argsHash(args: unknown): string;
}): StepExecutor {
  return async ({ org, runId, node, mapping, actor }) => {
    const config = toolConfig.safeParse(node.config);
    if (!config.success) return failedWith('invalid_config', config.error, false);
    const mapped = mappedArguments(config.data.args, mapping);
    if ('failed' in mapped) return mapped.failed;
    const { args } = mapped;
    const result = await governedToolCall({
      store: options.store,
      policy: await options.policy(org),
      org,
      actor,
      tool: config.data.tool,
      args: args as Record<string, unknown>,
      argsSha256: options.argsHash(args),
      runtime: options.runtime(org),
      meta: { runId },
    });
    if (result.status === 'refused')
      return {
        status: 'failed',
        code: result.code,
        message:
          result.code === 'hitl_required'
            ? `the policy asks a person to approve ${config.data.tool}; put a hitl node before this step: ${result.reason}`
            : result.reason,
        retryable: false,
      };
    if (!result.outcome.ok)
      return {
        status: 'failed',
        code: result.outcome.error.code,
        message: result.outcome.error.message,
        retryable: true,
      };
    return { status: 'completed', output: { result: result.outcome.result, masked: result.masked } };
  };
}
