import type { NodeType, WorkflowNode } from '../workflows/graph.js';

/** How often a node's step may be tried, how long to wait before the next try, and how long one may take. */
export interface StepPolicy {
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
}

const DEFAULTS: Record<NodeType, StepPolicy> = {
  trigger: { maxAttempts: 1, backoffMs: 0, timeoutMs: 1_000 },
  skill: { maxAttempts: 3, backoffMs: 1_000, timeoutMs: 120_000 },
  condition: { maxAttempts: 1, backoffMs: 0, timeoutMs: 5_000 },
  multi_agent: { maxAttempts: 1, backoffMs: 1_000, timeoutMs: 600_000 },
  mcp_call: { maxAttempts: 2, backoffMs: 1_000, timeoutMs: 60_000 },
  tool: { maxAttempts: 2, backoffMs: 500, timeoutMs: 60_000 },
  // Opening the request; the wait for the person is bounded by the request's own deadline.
  hitl: { maxAttempts: 2, backoffMs: 500, timeoutMs: 30_000 },
  // An external write is tried once unless the node asks for more: a post or a draft is not idempotent.
  integration: { maxAttempts: 1, backoffMs: 1_000, timeoutMs: 60_000 },
};

/** The longest wait between two attempts, however many came before. */
export const MAX_BACKOFF_MS = 15 * 60_000;

/**
 * Attempts a step cut short by a dead worker or a lost lease gets beyond its own `maxAttempts`: the
 * interruption is not the step's fault, but a step that kills its worker each time must still end.
 */
export const EXTRA_ATTEMPTS_AFTER_INTERRUPTION = 3;

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;

/** The node's `retry` and `timeoutMs` settings (node-configs.ts), over its type's defaults. */
export function stepPolicy(node: WorkflowNode): StepPolicy {
  const base = DEFAULTS[node.type];
  const retry = (node.config.retry ?? {}) as { maxAttempts?: unknown; backoffMs?: unknown };
  return {
    maxAttempts: positive(retry.maxAttempts) ?? base.maxAttempts,
    backoffMs: typeof retry.backoffMs === 'number' && retry.backoffMs >= 0 ? retry.backoffMs : base.backoffMs,
    timeoutMs: positive(node.config.timeoutMs) ?? base.timeoutMs,
  };
}

/**
 * The wait before attempt `next` (2, 3, …): the node's backoff doubled per attempt already retried,
 * capped, then "equal jitter" (half fixed, half random), so steps failing together do not retry together.
 * `jitter` is a number in [0, 1) handed in with the command, which keeps the decision pure.
 */
export function backoffMs(policy: StepPolicy, next: number, jitter: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** Math.max(0, next - 2));
  return Math.round(exponential / 2 + (exponential / 2) * Math.min(Math.max(jitter, 0), 1));
}
