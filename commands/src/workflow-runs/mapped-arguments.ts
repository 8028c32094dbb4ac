import { type MappingContext, MappingResolutionError, resolveMapping } from '../workflows/mapping.js';
import { failedWith, type StepResult } from './executors.js';

/** A tool-like step's arguments: its mapping resolved to an object, or the step's failure saying why not. */
export function mappedArguments(
  argsMapping: unknown,
  context: MappingContext,
): { args: Record<string, unknown> } | { failed: StepResult } {
  let args: unknown;
  try {
    args = resolveMapping(argsMapping, context);
  } catch (error) {
    if (error instanceof MappingResolutionError)
      return { failed: failedWith('mapping_unresolved', error, false) };
    throw error;
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args))
    return {
      failed: {
        status: 'failed',
        code: 'invalid_arguments',
        message: 'the mapped arguments are not an object',
        retryable: false,
      },
    };
  return { args: args as Record<string, unknown> };
}
