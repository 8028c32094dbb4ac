/** One agent's answer as the primitives compare it: its index among the agents and its text. */
export interface AgentAnswer {
  agentIndex: number;
  text: string;
  /** The parsed answer when an output schema was given. */
  value?: unknown;
}

/** A group of answers that mean the same; `representative` is its first member's answer. */
export interface AnswerCluster {
  members: number[];
  representative: AgentAnswer;
}

/** Largest first; among equals the one whose first member comes first, so the order is reproducible. */
export const byWeight = (a: AnswerCluster, b: AnswerCluster) =>
  b.members.length - a.members.length || (a.members[0] ?? 0) - (b.members[0] ?? 0);
