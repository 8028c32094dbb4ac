export type Risk = 'low' | 'medium' | 'high';

const HIGH_TOOLS = new Set(['bash']);
const WRITING_TOOLS = new Set(['write', 'edit']);
const SECRET_TYPES = new Set(['API_SECRET', 'PRIVATE_KEY', 'JWT']);
const PERSONAL_TYPES = new Set(['US_SSN', 'CREDIT_CARD', 'IBAN']);

/**
 * How much a wrong approval could cost: shell commands and secrets are high (never
 * auto-approved), writes and financial or identity data medium, the rest low.
 */
export function assessRisk(options: {
  kind: 'llm_call' | 'tool_call' | 'mcp_call' | 'workflow_step' | 'consensus' | 'pu_promotion';
  target: string;
  dlp: Record<string, number>;
}): Risk {
  const types = Object.keys(options.dlp).filter((t) => (options.dlp[t] ?? 0) > 0);
  const tool = options.target.replace(/^.*\//, '');
  if (options.kind !== 'llm_call' && HIGH_TOOLS.has(tool)) return 'high';
  if (types.some((t) => SECRET_TYPES.has(t))) return 'high';
  if (options.kind !== 'llm_call' && WRITING_TOOLS.has(tool)) return 'medium';
  if (types.some((t) => PERSONAL_TYPES.has(t))) return 'medium';
  return 'low';
}
