import { sha256Hex } from '@proofpane/core';

/** The longest tool name the audit events hold verbatim (the catalogue's bound). */
export const AUDITED_TOOL_NAME_MAX = 100;
const HASHED_PREFIX_MAX = 28;

/**
 * The tool name as audited: verbatim up to 100 characters; a longer one (MCP allows 128) as its first
 * characters, `…sha256:` and the SHA-256 of the whole name, exactly 100 characters, so the event still
 * identifies the tool and the gate decision is never left unaudited for its name's length.
 */
export function auditedToolName(tool: string): string {
  if (tool.length <= AUDITED_TOOL_NAME_MAX) return tool;
  let prefix = '';
  for (const char of tool) {
    if (prefix.length + char.length > HASHED_PREFIX_MAX) break;
    prefix += char;
  }
  return `${prefix}${'…'.repeat(HASHED_PREFIX_MAX + 1 - prefix.length)}sha256:${sha256Hex(tool)}`;
}
