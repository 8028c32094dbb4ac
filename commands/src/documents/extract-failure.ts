/**
 * A refusal raised while parsing. Kept free of imports, since it runs in the extraction worker, which
 * loads no workspace package; the launcher turns it into a `DocumentError` of the same code.
 */
export class ExtractFailure extends Error {
  constructor(
    readonly code:
      | 'document_rejected'
      | 'document_too_large'
      | 'document_unreadable'
      | 'document_type_mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'ExtractFailure';
  }
}
