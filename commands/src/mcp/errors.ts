import { CoreError } from '@proofpane/core';

/**
 * What the MCP deciders refuse with: the platform's `not_found` (no such server in the org) and
 * `conflict` (a name or id taken, a lifecycle step from the wrong status), the codes the MCP API has
 * always answered with.
 */
export type McpRefusal = 'not_found' | 'conflict';

/** Thrown by `decide` when a registry or gate command would break a rule; status and title are the catalogue's. */
export class McpError extends CoreError {
  constructor(
    override readonly code: McpRefusal,
    detail: string,
  ) {
    super(code, detail);
  }
}
