import type { WorkflowPatchOperation } from '@proofpane/api';
import type { Definition } from '../builder/definition';

/** `/nodes/3/config/input` → ['nodes', '3', 'config', 'input'], with RFC 6901 escapes undone. */
const segments = (pointer: string) =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));

function nodeName(definition: Definition, index: string | undefined): string {
  const node = index === undefined ? undefined : definition.nodes[Number(index)];
  return node ? node.id : `step ${index === '-' ? '(new)' : Number(index) + 1}`;
}

function edgeName(definition: Definition, index: string | undefined): string {
  const edge = index === undefined ? undefined : definition.edges[Number(index)];
  return edge ? `${edge.from} → ${edge.to}${edge.when ? ` (${edge.when})` : ''}` : 'a connection';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * One sentence per JSON Patch operation, naming steps and connections as the canvas shows them;
 * indexes are read against the graph the patch was proposed for, as a person reviews it.
 */
export function describeOperation(definition: Definition, op: WorkflowPatchOperation): string {
  const [area, index, ...rest] = segments(op.path);
  const field = rest.join('.');
  if (op.op === 'test') return `Checks ${op.path} first`;
  if (area === 'nodes') {
    if (op.op === 'add' && index === '-' && rest.length === 0 && isRecord(op.value))
      return `Add step ${String(op.value.id)} (${String(op.value.type)})`;
    if (op.op === 'remove' && rest.length === 0) return `Remove step ${nodeName(definition, index)}`;
    const target = nodeName(definition, index);
    if (op.op === 'remove') return `Remove ${field} of ${target}`;
    if (op.op === 'add' || op.op === 'replace')
      return `Set ${field || 'the whole step'} of ${target} to ${JSON.stringify(op.value)?.slice(0, 80)}`;
  }
  if (area === 'edges') {
    if (op.op === 'add' && rest.length === 0 && isRecord(op.value))
      return `Connect ${String(op.value.from)} → ${String(op.value.to)}${op.value.when ? ` (${String(op.value.when)})` : ''}`;
    if (op.op === 'remove' && rest.length === 0) return `Disconnect ${edgeName(definition, index)}`;
    const target = edgeName(definition, index);
    if (op.op === 'replace' && (field === 'to' || field === 'from'))
      return `Point ${target} ${field === 'to' ? 'to' : 'from'} ${String(op.value)}`;
    if (op.op === 'add' || op.op === 'replace')
      return `Set ${field} of ${target} to ${JSON.stringify(op.value)}`;
    if (op.op === 'remove') return `Remove ${field} of ${target}`;
  }
  const from = op.from ? ` from ${op.from}` : '';
  return `${op.op[0]!.toUpperCase()}${op.op.slice(1)} ${op.path}${from}`;
}
