import type { ToolDefinition } from '../providers/index.js';

/** The coder's four tools as the model sees them; `run` is the sandbox's `bash`, `done` ends the loop. */
export const CODER_TOOLS: ToolDefinition[] = [
  {
    name: 'read',
    description: 'Read a UTF-8 text file of the working tree (path relative to its root)',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
      additionalProperties: false,
    },
  },
  {
    name: 'write',
    description: 'Create or overwrite a file of the working tree with the full new content',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
      additionalProperties: false,
    },
  },
  {
    name: 'run',
    description:
      'Run a shell command in the root of the working tree, in a sandbox without network (60 s at most)',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
      additionalProperties: false,
    },
  },
  {
    name: 'done',
    description: 'Finish: the change is complete; summarise it in one short paragraph',
    parameters: {
      type: 'object',
      properties: { summary: { type: 'string' } },
      required: ['summary'],
      additionalProperties: false,
    },
  },
];

/** The instructions that follow the capsule (or base prompt): what the tools are and when to stop. */
export const TOOL_GUIDE = [
  'You work in a disposable copy of the project with four tools: read, write, run and done.',
  'Paths are relative to the root of the working tree; nothing outside it is reachable.',
  'run executes one shell command in a sandbox without network and stops it after 60 seconds.',
  'Run the project tests before you call done, and call done with a one-paragraph summary.',
].join(' ');

/** The sandbox tool each coder tool is, with its arguments; `undefined` for malformed arguments. */
export function sandboxCall(
  name: string,
  raw: unknown,
  timeoutMs: number,
): { tool: 'read' | 'write' | 'bash'; args: Record<string, unknown> } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const args = raw as Record<string, unknown>;
  const text = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
  if (name === 'read' && text('path')) return { tool: 'read', args: { path: text('path') } };
  if (name === 'write' && text('path') && text('content') !== undefined)
    return { tool: 'write', args: { path: text('path'), content: text('content') } };
  if (name === 'run' && text('command'))
    return { tool: 'bash', args: { command: text('command'), timeoutMs } };
  return undefined;
}
