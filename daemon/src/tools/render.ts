import type { ToolResults } from './results.js';
import type { ToolName } from './schemas.js';

const note = (truncated: boolean, what: string) => (truncated ? `\n[truncated: ${what}]` : '');

/** Plain-text rendering of a tool result, for MCP clients that show text content to a model. */
export function renderText<T extends ToolName>(tool: T, result: ToolResults[T]): string {
  switch (tool) {
    case 'read': {
      const r = result as ToolResults['read'];
      return r.content + note(r.truncated, `showing the start of ${r.size} bytes`);
    }
    case 'write': {
      const r = result as ToolResults['write'];
      return `${r.created ? 'Created' : 'Wrote'} ${r.path} (${r.bytes} bytes)`;
    }
    case 'edit':
      return `Edited ${(result as ToolResults['edit']).path} (1 replacement)`;
    case 'bash': {
      const r = result as ToolResults['bash'];
      const status = r.signal ? `signal ${r.signal}` : `exit code ${r.exitCode}`;
      const parts = [r.stdout, r.stderr ? `[stderr]\n${r.stderr}` : '', `[${status}]`].filter(
        (p) => p !== '',
      );
      return parts.join('\n') + note(r.truncated, 'output capped');
    }
    case 'glob': {
      const r = result as ToolResults['glob'];
      return (
        (r.matches.length > 0 ? r.matches.join('\n') : 'No matches') + note(r.truncated, 'more matches exist')
      );
    }
    case 'grep': {
      const r = result as ToolResults['grep'];
      const lines = r.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
      return (lines.length > 0 ? lines.join('\n') : 'No matches') + note(r.truncated, 'more matches exist');
    }
    case 'list': {
      const r = result as ToolResults['list'];
      const lines = r.entries.map(
        (e) => `[${e.type.toUpperCase()}] ${e.name}${e.size === undefined ? '' : ` (${e.size} bytes)`}`,
      );
      return (
        (lines.length > 0 ? lines.join('\n') : 'Empty directory') + note(r.truncated, 'more entries exist')
      );
    }
    default: {
      const unreachable: never = tool;
      return unreachable;
    }
  }
}
