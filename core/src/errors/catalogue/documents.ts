import { errorSection } from '../entry.js';

/** A use case's documents and search (`commands/src/documents`, docs/documents.md). */
export const documentErrors = errorSection('api.md#documents', {
  document_not_found: { status: 404, title: 'No document with this id in the use case' },
  document_exists: { status: 409, title: 'A document with this id already exists' },
  document_too_large: { status: 413, title: 'The file or its extracted text is larger than the limit' },
  document_type_unsupported: {
    status: 415,
    title: 'The file is not PDF, DOCX, Markdown, HTML or plain text',
  },
  document_type_mismatch: { status: 415, title: "The file's bytes do not match its declared type" },
  document_rejected: {
    status: 422,
    title: 'The file was refused as unsafe to parse (too many pages, a zip bomb, a parse time-out)',
  },
  document_unreadable: { status: 422, title: 'No text could be extracted from the file' },
  document_upload_invalid: {
    status: 400,
    title: 'The upload is not one multipart file part with a plain file name',
  },
  document_embedder_unavailable: {
    status: 409,
    title: "The org's embedder has no key or is not configured; choose another or add its key",
  },
});
