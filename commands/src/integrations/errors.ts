import { CoreError, type IntegrationErrorCode } from '@proofpane/core';

/** Thrown by the integration decider and adapters; status and title are the catalogue's integrations section. */
export class IntegrationError extends CoreError {
  constructor(
    override readonly code: IntegrationErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
