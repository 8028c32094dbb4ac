import { z } from 'zod';
import { ANTHROPIC_BETAS, type AnthropicEffort, type ChatRequest, type ContextEdit } from '../commands.js';

const count = z.number().int().min(0);
const clearToolUses = z.strictObject({
  type: z.literal('clear_tool_uses_20250919'),
  trigger: z.strictObject({ type: z.enum(['input_tokens', 'tool_uses']), value: count }).optional(),
  keep: z.strictObject({ type: z.literal('tool_uses'), value: count }).optional(),
  clear_at_least: z.strictObject({ type: z.literal('input_tokens'), value: count }).optional(),
  clear_tool_inputs: z.boolean().optional(),
  exclude_tools: z.array(z.string().min(1)).optional(),
});
const clearThinking = z.strictObject({
  type: z.literal('clear_thinking_20251015'),
  keep: z
    .union([z.literal('all'), z.strictObject({ type: z.literal('thinking_turns'), value: count })])
    .optional(),
});

/** `output_config` and `context_management` as the Messages body may carry them (checked further below). */
export const anthropicExtraFields = {
  output_config: z
    .looseObject({
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      format: z
        .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  context_management: z
    .strictObject({ edits: z.array(z.looseObject({ type: z.string().min(1) })).max(20) })
    .nullable()
    .optional(),
};

type Extras = {
  output_config?:
    | {
        effort?: AnthropicEffort | null | undefined;
        format?: { type: 'json_schema'; schema: Record<string, unknown> } | null | undefined;
        [key: string]: unknown;
      }
    | null
    | undefined;
  context_management?: { edits: { type: string; [key: string]: unknown }[] } | null | undefined;
};

type Carried = Pick<ChatRequest, 'effort' | 'contextEdits'> & { formatSchema?: Record<string, unknown> };

/**
 * The effort, output schema and context edits of a Messages body. What the AI SDK's Anthropic model cannot
 * carry is named in `uncarried`: other `output_config` fields (`task_budget` budgets vendor-side agent
 * loops) and the `compact_20260112` edit, whose summary is output the budget does not bound.
 */
export function anthropicExtras(body: Extras, uncarried: Set<string>): Carried {
  const out: Carried = {};
  const config = body.output_config ?? undefined;
  if (config) {
    for (const [key, value] of Object.entries(config))
      if (key !== 'effort' && key !== 'format' && value !== null && value !== undefined)
        uncarried.add(`output_config.${key}`);
    if (config.effort) out.effort = config.effort;
    if (config.format) out.formatSchema = config.format.schema;
  }
  const edits = body.context_management?.edits;
  if (edits) {
    const carried: ContextEdit[] = [];
    edits.forEach((edit, i) => {
      const at = `context_management.edits[${i}]`;
      const tools = clearToolUses.safeParse(edit);
      if (tools.success) {
        const e = tools.data;
        carried.push({
          type: e.type,
          ...(e.trigger ? { trigger: e.trigger } : {}),
          ...(e.keep ? { keep: e.keep } : {}),
          ...(e.clear_at_least ? { clearAtLeast: e.clear_at_least } : {}),
          ...(e.clear_tool_inputs !== undefined ? { clearToolInputs: e.clear_tool_inputs } : {}),
          ...(e.exclude_tools ? { excludeTools: e.exclude_tools } : {}),
        });
        return;
      }
      const thinking = clearThinking.safeParse(edit);
      if (thinking.success) {
        carried.push({
          type: thinking.data.type,
          ...(thinking.data.keep ? { keep: thinking.data.keep } : {}),
        });
        return;
      }
      const known = edit.type === 'clear_tool_uses_20250919' || edit.type === 'clear_thinking_20251015';
      uncarried.add(known ? `${at} (malformed ${edit.type})` : `${at}.type=${edit.type}`);
    });
    if (carried.length > 0) out.contextEdits = carried;
  }
  return out;
}

/**
 * The `anthropic-beta` header's names: those in ANTHROPIC_BETAS go to Anthropic, any other is refused by
 * name (a beta changes what the vendor does, so it is never silently left out).
 */
export function anthropicBetas(
  header: string | string[] | undefined,
): Pick<ChatRequest, 'anthropicBetas'> & { refused: string[] } {
  const names = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((b) => b.trim().toLowerCase())
    .filter((b) => b.length > 0);
  const unique = [...new Set(names)];
  const refused = unique
    .filter((b) => !ANTHROPIC_BETAS.has(b))
    .map((b) => `anthropic-beta ${b.slice(0, 100)} (not in the gateway's allow-list)`);
  const carried = unique.filter((b) => ANTHROPIC_BETAS.has(b));
  return { ...(carried.length > 0 ? { anthropicBetas: carried } : {}), refused };
}
