import { CoreError, type DocumentErrorCode } from '@proofpane/core';

/** Thrown by the documents capability; status and title are the catalogue's documents section. */
export class DocumentError extends CoreError {
  constructor(
    override readonly code: DocumentErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
