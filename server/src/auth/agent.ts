import type { Principal } from './principal.js';

/** An agent scope's name, as the policy's `agents` keys spell it. */
export const AGENT_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/** Why a request may not act as the agent it named; `message` says what to send instead. */
export class AgentMismatch extends Error {}

/**
 * The agent scope a request acts in. An API key bound to an agent always acts as that agent: the
 * `x-proofpane-agent` header may repeat the binding, never replace it. Unbound callers may name one.
 */
export function agentOf(principal: Principal, header: unknown): string | undefined {
  const asked = typeof header === 'string' && header.length > 0 ? header : undefined;
  if (asked !== undefined && !AGENT_NAME.test(asked))
    throw new AgentMismatch('x-proofpane-agent must be a lower-case agent name');
  if (principal.agent && asked && asked !== principal.agent)
    throw new AgentMismatch(
      `this API key is bound to agent "${principal.agent}" and cannot act as "${asked}"`,
    );
  return principal.agent ?? asked;
}
