import type { McpCallFact, McpServerFact } from './facts.js';

export type McpServerStatus = 'draft' | 'published' | 'deprecated';

export interface McpServerState {
  status: 'none' | McpServerStatus;
}

export const initialMcpServerState = (): McpServerState => ({ status: 'none' });

export function evolveMcpServer(_state: McpServerState, fact: McpServerFact): McpServerState {
  switch (fact.type) {
    case 'cp.mcp.server.registered':
      return { status: 'draft' };
    case 'cp.mcp.server.published':
      return { status: 'published' };
    case 'cp.mcp.server.deprecated':
      return { status: 'deprecated' };
    default:
      return fact satisfies never;
  }
}

export interface McpCallState {
  gated: boolean;
}

export const initialMcpCallState = (): McpCallState => ({ gated: false });

export const evolveMcpCall = (state: McpCallState, fact: McpCallFact): McpCallState =>
  fact.type === 'cp.mcp.gate.decided' ? { gated: true } : state;
