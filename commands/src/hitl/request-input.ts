import type { Actor } from '@proofpane/core';

/** What a gate hands over when the policy sends a call to a person. */
export interface HitlRequestInput {
  org: string;
  actor: Actor;
  kind: 'llm_call' | 'tool_call' | 'mcp_call' | 'workflow_step' | 'consensus' | 'pu_promotion';
  /** The tool (`tool/write`) or route and model (`llm/openai/gpt-4o`) asked for. */
  target: string;
  args: unknown;
  argsSha256: string;
  /** What a reviewer reads: already DLP-masked. */
  summary: string;
  reason: string;
  rulesMatched: string[];
  dlp: Record<string, number>;
  agent?: string | undefined;
  /** The answers a person chooses among, already DLP-masked (a consensus escalation). */
  choices?: { label: string; text: string; size: number }[] | undefined;
  timeoutSeconds: number;
  autoApproveThreshold: number;
  meta?: Record<string, string>;
}

/** Using an approval: the caller's org and identity, the request, and the hash of the repeated call. */
export interface HitlConsumeInput {
  org: string;
  actor: Actor;
  requestId: string;
  argsSha256: string;
}
