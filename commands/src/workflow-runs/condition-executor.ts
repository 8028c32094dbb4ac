import { evaluateCondition } from '../workflows/condition.js';
import { MappingResolutionError } from '../workflows/mapping.js';
import { conditionConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor } from './executors.js';

/** A condition node: its comparison on mapped values; the outcome `true`/`false` picks the edge. */
export const conditionExecutor: StepExecutor = async ({ node, mapping }) => {
  const config = conditionConfig.safeParse(node.config);
  if (!config.success) return failedWith('invalid_config', config.error, false);
  try {
    const result = evaluateCondition(config.data, mapping);
    return { status: 'completed', output: { result }, outcome: result ? 'true' : 'false' };
  } catch (error) {
    if (error instanceof MappingResolutionError) return failedWith('mapping_unresolved', error, false);
    throw error;
  }
};
