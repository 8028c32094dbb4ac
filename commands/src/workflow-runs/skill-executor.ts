import type { CoreError } from '@proofpane/core';
import { PROVIDER_IDS, type ProviderId } from '../providers/types.js';
import { SkillRunError } from '../skills/errors.js';
import type { RunSkillRequest, SkillRunResult } from '../skills/run-skill.js';
import { MappingResolutionError, resolveMapping } from '../workflows/mapping.js';
import { skillConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor } from './executors.js';

/** Refusals another attempt may get past: the provider or the model, not the request or the policy. */
const RETRYABLE = new Set<string>([
  'provider_error',
  'provider_timeout',
  'skill_output_invalid',
  'rate_limited',
  'unavailable',
  'internal',
]);

const isProvider = (value: string): value is ProviderId =>
  (PROVIDER_IDS as readonly string[]).includes(value);

/**
 * A skill node: its input mapped from the run, then the governed skill as a run of its own nested under the
 * workflow run (`parentRunId`), so the run tree shows workflow → skill runs → model calls.
 */
export function skillExecutor(run: (request: RunSkillRequest) => Promise<SkillRunResult>): StepExecutor {
  return async ({ org, runId, node, mapping, actor, signal, childRunId }) => {
    const config = skillConfig.safeParse(node.config);
    if (!config.success) return failedWith('invalid_config', config.error, false);
    const { skill, provider, model } = config.data;
    if (provider !== undefined && !isProvider(provider))
      return {
        status: 'failed',
        code: 'invalid_config',
        message: `unknown provider ${provider}`,
        retryable: false,
      };
    let input: unknown;
    try {
      input = resolveMapping(config.data.input, mapping);
    } catch (error) {
      if (error instanceof MappingResolutionError) return failedWith('mapping_unresolved', error, false);
      throw error;
    }
    try {
      const result = await run({
        org,
        actor,
        skillId: skill,
        input,
        parentRunId: runId,
        signal,
        ...(childRunId ? { runId: childRunId } : {}),
        ...(provider ? { provider } : {}),
        ...(model ? { model } : {}),
      });
      return {
        status: 'completed',
        output: result.output,
        costMicros: result.costMicros,
        childRunId: result.runId,
      };
    } catch (error) {
      if (!(error instanceof SkillRunError)) throw error;
      const code = (error as CoreError).code;
      const child = error.context.runId ? ` (skill run ${error.context.runId})` : '';
      return { status: 'failed', code, message: `${error.message}${child}`, retryable: RETRYABLE.has(code) };
    }
  };
}
