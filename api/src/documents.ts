import { z } from 'zod';

/**
 * The bounds an upload and a search are held to. The server refuses beyond them with a 4xx naming
 * the bound; the console shows them beside the upload button.
 */
export const DOCUMENT_LIMITS = {
  /** Bytes of one uploaded file. */
  fileBytes: 10 * 1024 * 1024,
  /** Characters of text extracted from one file. */
  extractedChars: 2_000_000,
  /** Pages of one PDF. */
  pdfPages: 500,
  /** Sum of the declared uncompressed sizes of a DOCX's zip entries. */
  docxUncompressedBytes: 50 * 1024 * 1024,
  /** Declared uncompressed ÷ compressed size of any one DOCX entry. */
  docxEntryRatio: 100,
  /** Characters of a title. */
  titleChars: 200,
  /** Characters of a search query. */
  queryChars: 2_000,
  /** Hits one search may return. */
  k: 50,
} as const;

/** The formats an upload may be; the server sniffs the bytes and refuses a declared type that lies. */
export const DOCUMENT_TYPES = ['pdf', 'docx', 'markdown', 'html', 'text'] as const;
export const documentType = z.enum(DOCUMENT_TYPES);
export type DocumentType = z.infer<typeof documentType>;

export const SEARCH_MODES = ['hybrid', 'lexical', 'vector'] as const;
export const searchMode = z.enum(SEARCH_MODES);
export type SearchMode = z.infer<typeof searchMode>;

/** Which retriever found a hit: `bm25` (lexical) and/or `vector`. */
export const HIT_SOURCES = ['bm25', 'vector'] as const;
export const hitSource = z.enum(HIT_SOURCES);
export type HitSource = z.infer<typeof hitSource>;

/** The embedding providers an org may choose; `demo` is offline and deterministic. */
export const EMBEDDER_PROVIDERS = ['demo', 'openai', 'gemini', 'openai-compatible'] as const;
export const embedderProvider = z.enum(EMBEDDER_PROVIDERS);
export type EmbedderProvider = z.infer<typeof embedderProvider>;

const noNul = (value: string) => !value.includes('\u0000');
const id = z.string().min(1).max(100).refine(noNul, 'no NUL characters');

export const useCaseDocumentsParams = z.strictObject({ id });
export type UseCaseDocumentsParams = z.infer<typeof useCaseDocumentsParams>;

export const useCaseDocumentParams = z.strictObject({ id, documentId: id });
export type UseCaseDocumentParams = z.infer<typeof useCaseDocumentParams>;

/**
 * The non-file fields of `POST /api/use-cases/:id/documents` (multipart/form-data). The file is the
 * part named `file`; its own content type is the declared type the server checks against the bytes.
 * Without `title` the file name's last segment is the title (it is never used as a path).
 */
export const uploadDocumentFields = z.strictObject({
  title: z
    .string()
    .trim()
    .min(1)
    .max(DOCUMENT_LIMITS.titleChars)
    .refine(noNul, 'no NUL characters')
    .optional(),
});
export type UploadDocumentFields = z.input<typeof uploadDocumentFields>;

export const documentListQuery = z.strictObject({
  /** The `next` of the previous page. */
  after: z.string().max(200).refine(noNul, 'no NUL characters').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type DocumentListQuery = z.input<typeof documentListQuery>;

/** A document as lists show it. Its text is never returned whole; search returns its chunks. */
export const documentSummary = z.object({
  id: z.string(),
  useCaseId: z.string(),
  title: z.string(),
  type: documentType,
  /** SHA-256 of the uploaded bytes, hex: the name the file is stored under. */
  sha256: z.string(),
  sizeBytes: z.number().int(),
  characters: z.number().int(),
  chunks: z.number().int(),
  /** `provider/model` of the embedder its vectors came from (`demo/hashed-ngrams-384` offline). */
  embedder: z.string(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type DocumentSummary = z.infer<typeof documentSummary>;

/** `GET /api/use-cases/:id/documents`. */
export const documentList = z.object({ documents: z.array(documentSummary), next: z.string().nullable() });
export type DocumentList = z.infer<typeof documentList>;

/** `POST /api/use-cases/:id/documents` answers 201 with the document. */
export const documentUploaded = documentSummary;
export type DocumentUploaded = z.infer<typeof documentUploaded>;

/** `DELETE /api/use-cases/:id/documents/:documentId` answers 200 with what it removed. */
export const documentDeleted = z.object({ id: z.string(), chunks: z.number().int() });
export type DocumentDeleted = z.infer<typeof documentDeleted>;

/** `POST /api/use-cases/:id/search`. */
export const searchBody = z.strictObject({
  query: z.string().trim().min(1).max(DOCUMENT_LIMITS.queryChars).refine(noNul, 'no NUL characters'),
  k: z.number().int().min(1).max(DOCUMENT_LIMITS.k).default(5),
  mode: searchMode.default('hybrid'),
});
export type SearchBody = z.input<typeof searchBody>;

export const searchHit = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  text: z.string(),
  /** BM25 score (lexical), cosine similarity (vector) or Reciprocal Rank Fusion score (hybrid). */
  score: z.number(),
  from: z.array(hitSource),
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchResult = z.object({ hits: z.array(searchHit) });
export type SearchResult = z.infer<typeof searchResult>;

/**
 * `GET` / `PUT /api/document-settings`: the embedder an org's documents are embedded with. Changing
 * it applies to later uploads; a case's search embeds the query with each document's own embedder.
 */
export const embedderSettings = z.strictObject({
  provider: embedderProvider,
  /** The provider's embedding model; ignored for `demo`. */
  model: z.string().trim().min(1).max(120).refine(noNul, 'no NUL characters').optional(),
});
export type EmbedderSettings = z.input<typeof embedderSettings>;

export const documentSettings = z.object({
  embedder: z.object({ provider: embedderProvider, model: z.string(), label: z.string() }),
});
export type DocumentSettings = z.infer<typeof documentSettings>;
