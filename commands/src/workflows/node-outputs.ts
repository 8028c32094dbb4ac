/** A JSON Schema as the skills catalogue and triggers declare them; read, never executed here. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** What the validator asks of the skills catalogue; `getSkill` in `commands/src/skills` provides it. */
export interface SkillLookup {
  get(id: string): { inputSchema: JsonSchema; outputSchema: JsonSchema } | undefined;
}

/** Any value: the output of a node whose shape only its run knows (a tool, an MCP tool, the agents). */
export const ANY_OUTPUT: JsonSchema = {};

/** A condition node's output; its outgoing edges branch on `result` by their `when` label. */
export const CONDITION_OUTPUT: JsonSchema = {
  type: 'object',
  properties: { result: { type: 'boolean' } },
  required: ['result'],
};

/** A hitl node's output: the person's decision (or the timeout's), and their note when they left one. */
export const HITL_OUTPUT: JsonSchema = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['approved', 'denied', 'timeout'] },
    note: { type: 'string' },
  },
  required: ['decision'],
};
