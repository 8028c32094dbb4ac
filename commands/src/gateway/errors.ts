import { budgetErrors, type GatewayErrorCode, gatewayErrors } from '@proofpane/core';

/**
 * The stable codes a refused or failed governed call answers with, and their HTTP statuses: the
 * catalogue's gateway and budget sections (`core/src/errors/catalogue/`), documented in docs/gateway.md.
 */
export const REFUSAL_STATUS = Object.fromEntries(
  Object.entries({ ...gatewayErrors, ...budgetErrors }).map(([code, entry]) => [code, entry.status]),
) as Readonly<Record<GatewayErrorCode, number>>;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

/**
 * A call the gateway did not carry out (or whose provider failed). It has already been audited when
 * thrown; the wire adapters render it in the vendor's error shape with `code` and the request id.
 */
export class GatewayRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly requestId: string,
    /** For `hitl_required`: the approval request to resolve before repeating the call. */
    readonly hitlRequestId?: string,
  ) {
    super(message);
    this.name = 'GatewayRefusal';
    this.status = REFUSAL_STATUS[code];
  }
}
