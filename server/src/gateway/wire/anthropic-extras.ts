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

const KNOWN_EDITS = ['clear_tool_uses_20250919', 'clear_thinking_20251015'];
// Other edits are parsed by type only, so the refusal can name them.
const otherEdit = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((t) => !KNOWN_EDITS.includes(t), { message: 'malformed edit', abort: true }),
});

/** `output_config` and `context_management` as the Messages body may carry them; unknown keys are refused by path. */
export const anthropicExtraFields = {
  output_config: z
    .strictObject({
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      format: z
        .strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  context_management: z
    .strictObject({ edits: z.array(z.union([clearToolUses, clearThinking, otherEdit])).max(20) })
    .nullable()
    .optional(),
};

type ContextEditParam =
  | z.infer<typeof clearToolUses>
  | z.infer<typeof clearThinking>
  | z.infer<typeof otherEdit>;

type Extras = {
  output_config?:
    | {
        effort?: AnthropicEffort | null | undefined;
        format?: { type: 'json_schema'; schema: Record<string, unknown> } | null | undefined;
      }
    | null
    | undefined;
  context_management?: { edits: ContextEditParam[] } | null | undefined;
};

type Carried = Pick<ChatRequest, 'effort' | 'contextEdits'> & { formatSchema?: Record<string, unknown> };

/**
 * The effort, output schema and context edits of a Messages body. Other `output_config` fields
 * (`task_budget` budgets vendor-side agent loops) are refused by path as unknown keys, and the
 * `compact_20260112` edit, whose summary is output the budget does not bound, is named in `uncarried`.
 */
export function anthropicExtras(body: Extras, uncarried: Set<string>): Carried {
  const out: Carried = {};
  const config = body.output_config ?? undefined;
  if (config) {
    if (config.effort) out.effort = config.effort;
    if (config.format) out.formatSchema = config.format.schema;
  }
  const edits = body.context_management?.edits;
  if (edits) {
    const carried: ContextEdit[] = [];
    edits.forEach((edit, i) => {
      const at = `context_management.edits[${i}]`;
      if (edit.type === 'clear_tool_uses_20250919') {
        const e = edit as z.infer<typeof clearToolUses>;
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
      if (edit.type === 'clear_thinking_20251015') {
        const e = edit as z.infer<typeof clearThinking>;
        carried.push({ type: e.type, ...(e.keep ? { keep: e.keep } : {}) });
        return;
      }
      uncarried.add(`${at}.type=${edit.type}`);
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
