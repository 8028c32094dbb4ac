/** The stable codes a refused or failed governed call answers with, and their HTTP statuses. */
export const REFUSAL_STATUS = {
  policy_blocked: 403,
  dlp_blocked: 403,
  hitl_required: 403,
  budget_exceeded: 429,
  /** Under a cap, a model neither the price table nor the org prices: its cost could not be bounded. */
  price_unknown: 400,
  /** A provider reported usage beyond a request's limits; calls wait for an admin's acknowledgement. */
  provider_anomaly: 403,
  provider_error: 502,
  invalid_request: 400,
} as const;

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
