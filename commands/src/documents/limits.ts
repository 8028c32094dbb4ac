import { DOCUMENT_LIMITS } from '@proofpane/api';

/**
 * What parsing one upload may cost. The byte, page, character and zip bounds are the contract's
 * (clients show them); the time bound is the server's own.
 */
export interface ExtractLimits {
  fileBytes: number;
  extractedChars: number;
  pdfPages: number;
  docxUncompressedBytes: number;
  docxEntryRatio: number;
  /** Bytes all of a PDF's compressed streams may inflate to, counted before the parser runs. */
  pdfInflatedBytes: number;
  /** Wall-clock budget of one extraction, checked between pages and parse steps. */
  timeMs: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  fileBytes: DOCUMENT_LIMITS.fileBytes,
  extractedChars: DOCUMENT_LIMITS.extractedChars,
  pdfPages: DOCUMENT_LIMITS.pdfPages,
  docxUncompressedBytes: DOCUMENT_LIMITS.docxUncompressedBytes,
  docxEntryRatio: DOCUMENT_LIMITS.docxEntryRatio,
  pdfInflatedBytes: 100 * 1024 * 1024,
  timeMs: 10_000,
};
