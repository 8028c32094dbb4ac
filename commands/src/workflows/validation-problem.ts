/** Why a graph is refused, one code per rule (docs/workflows.md, "Validation"). */
export const validationProblemCodes = [
  'duplicate_node',
  'unknown_node_type',
  'invalid_config',
  'trigger_count',
  'trigger_has_inputs',
  'unknown_edge_node',
  'duplicate_edge',
  'bad_edge_label',
  'cycle',
  'unreachable',
  'unknown_skill',
  'unresolvable_mapping',
  'schema_mismatch',
  'missing_input',
] as const;
export type ValidationProblemCode = (typeof validationProblemCodes)[number];

/** One broken rule, naming the node or the edge (by its index and ends) and, inside a node, the field. */
export interface ValidationProblem {
  code: ValidationProblemCode;
  message: string;
  node?: string;
  edge?: { index: number; from: string; to: string; when?: string };
  /** Inside the node: `config.input.text`, `config.cron`. */
  field?: string;
}

export const fieldOf = (path: readonly (string | number)[]): string =>
  path.map((s) => (typeof s === 'number' ? String(s) : s)).join('.');
