import { z } from 'zod';
import { hex64, id } from './schemas.js';

/** The formats a document may be, by the sniffed bytes (`api/src/documents.ts` has the same list). */
export const documentTypes = ['pdf', 'docx', 'markdown', 'html', 'text'] as const;
export const documentEmbedderProviders = ['demo', 'openai', 'gemini', 'openai-compatible'] as const;

const count = z.number().int().nonnegative();

/**
 * A use case's documents, one subject `document/<id>`, and the org's embedder choice, subject
 * `document-settings/embedder`. The events hold what was stored (hash, size, type, title, counts), never the
 * text: the file lives content-addressed under the org's data folder and its chunks in the read model.
 */
export const documentEvents = {
  'cp.usecase.document.uploaded': z.strictObject({
    documentId: id,
    useCaseId: id,
    title: z.string().min(1).max(200),
    type: z.enum(documentTypes),
    /** SHA-256 of the uploaded bytes: the stored file's name. */
    sha256: hex64,
    sizeBytes: count,
    characters: count,
    chunks: count,
    /** `provider/model` of the embedder the chunks' vectors came from. */
    embedder: z.string().min(1).max(200),
    /** The governed embedding calls (`call/<id>`) that produced the vectors. */
    embeddingRequestIds: z.array(id).max(1000),
  }),
  'cp.usecase.document.deleted': z.strictObject({ documentId: id, useCaseId: id, chunks: count }),
  'cp.usecase.document.embedder.chosen': z.strictObject({
    provider: z.enum(documentEmbedderProviders),
    model: z.string().min(1).max(120),
  }),
} as const;
