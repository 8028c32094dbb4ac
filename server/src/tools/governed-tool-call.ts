import {
  type GovernedToolResult,
  governedToolCall as governedToolCallCommand,
  type ToolCallApprovals,
} from '@proofpane/commands';
import { argsHash } from '@proofpane/daemon';
import type { ToolRuntime } from './runtime.js';

export type { GovernedToolResult, ToolCallApprovals };

type Options = Omit<Parameters<typeof governedToolCallCommand>[0], 'argsSha256' | 'runtime'> & {
  runtime: ToolRuntime;
};

/**
 * One agent tool call through the gates (the process lives in the commands package); the server hashes
 * the arguments as the daemon does, so an approval binds exactly what a paired device will be sent.
 */
export const governedToolCall = (options: Options): Promise<GovernedToolResult> =>
  governedToolCallCommand({ ...options, argsSha256: argsHash(options.args) });
