import { MappingResolutionError, resolveMapping } from '../workflows/mapping.js';
import { hitlConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor } from './executors.js';

const MAX_SUMMARY = 2_000;

/**
 * A hitl node: what the person reads, mapped from the run, and how long they have. The engine records the
 * wait, opens the request through the HITL service and completes the step with the decision.
 */
export const hitlExecutor: StepExecutor = async ({ node, mapping }) => {
  const config = hitlConfig.safeParse(node.config);
  if (!config.success) return failedWith('invalid_config', config.error, false);
  try {
    const summary = resolveMapping(config.data.summary, mapping);
    const text = typeof summary === 'string' ? summary : JSON.stringify(summary ?? null);
    return {
      status: 'approval',
      summary: text.slice(0, MAX_SUMMARY),
      timeoutSeconds: config.data.timeoutSeconds,
      risk: config.data.risk,
    };
  } catch (error) {
    if (error instanceof MappingResolutionError) return failedWith('mapping_unresolved', error, false);
    throw error;
  }
};
