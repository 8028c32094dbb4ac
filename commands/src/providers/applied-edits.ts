import type { SharedV3ProviderMetadata } from '@ai-sdk/provider';
import type { AppliedContextEdit } from './types.js';

/**
 * The context edits Anthropic applied to a call's prompt, from the AI SDK's provider metadata, back in
 * Anthropic's wire names (the Messages answer's `context_management.applied_edits`). Undefined when none.
 */
export function appliedEditsOf(
  metadata: SharedV3ProviderMetadata | undefined,
): AppliedContextEdit[] | undefined {
  const cm = metadata?.anthropic?.contextManagement as
    | { appliedEdits?: Record<string, unknown>[] }
    | null
    | undefined;
  const edits = cm?.appliedEdits;
  if (!Array.isArray(edits) || edits.length === 0) return undefined;
  const count = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return edits.map((e) => {
    const edit: AppliedContextEdit = { type: String(e.type) };
    const tools = count(e.clearedToolUses);
    const turns = count(e.clearedThinkingTurns);
    const tokens = count(e.clearedInputTokens);
    if (tools !== undefined) edit.cleared_tool_uses = tools;
    if (turns !== undefined) edit.cleared_thinking_turns = turns;
    if (tokens !== undefined) edit.cleared_input_tokens = tokens;
    return edit;
  });
}
