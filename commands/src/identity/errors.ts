import { CoreError, type IdentityErrorCode } from '@proofpane/core';

export { type IdentityErrorCode, identityErrors } from '@proofpane/core';

/**
 * Thrown by `decide` when a command would break an identity invariant. Code, status and title come
 * from the catalogue's identity section (`core/src/errors/catalogue/identity.ts`), documented in docs/api.md.
 */
export class IdentityError extends CoreError {
  constructor(
    readonly identityCode: IdentityErrorCode,
    detail?: string,
  ) {
    super(identityCode, detail);
  }
}

export const refuse = (code: IdentityErrorCode, detail?: string): never => {
  throw new IdentityError(code, detail);
};
