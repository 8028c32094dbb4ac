import { type Unzipped, unzipSync, zipSync } from 'fflate';
import { ExtractFailure } from './extract-failure.js';
import type { ExtractLimits } from './limits.js';

const MAX_ENTRIES = 10_000;

/**
 * A DOCX's entries, inflated within bounds and stored again uncompressed, so the DOCX parser inflates
 * nothing itself. The central directory is read first and the whole file refused, before any entry is
 * inflated, when the declared uncompressed sizes add up past the limit or one entry's ratio is a bomb's;
 * each entry then inflates into a buffer of its declared size, so a size that lies cannot grow memory.
 */
export function boundedDocx(bytes: Uint8Array, limits: ExtractLimits): Uint8Array {
  let total = 0;
  let entries = 0;
  let hasDocument = false;
  const refuse = (why: string): never => {
    throw new ExtractFailure('document_rejected', `the DOCX was refused: ${why}`);
  };
  try {
    unzipSync(bytes, {
      filter(file) {
        entries += 1;
        if (entries > MAX_ENTRIES) refuse(`it holds more than ${MAX_ENTRIES} entries`);
        if (file.compression !== 0 && file.compression !== 8)
          refuse(`entry ${file.name.slice(0, 80)} uses an unknown compression`);
        total += file.originalSize;
        if (total > limits.docxUncompressedBytes)
          refuse(`its entries would inflate past ${limits.docxUncompressedBytes} bytes`);
        if (
          file.originalSize > 1024 * 1024 &&
          file.originalSize / Math.max(1, file.size) > limits.docxEntryRatio
        )
          refuse(`entry ${file.name.slice(0, 80)} would inflate more than ${limits.docxEntryRatio} times`);
        if (file.name === 'word/document.xml') hasDocument = true;
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ExtractFailure) throw error;
    throw new ExtractFailure('document_unreadable', 'the DOCX is not a readable zip');
  }
  if (!hasDocument)
    throw new ExtractFailure(
      'document_type_mismatch',
      'the zip holds no word/document.xml: it is not a DOCX',
    );
  let inflated: Unzipped;
  try {
    inflated = unzipSync(bytes);
  } catch {
    throw new ExtractFailure('document_unreadable', 'the DOCX is not a readable zip');
  }
  return zipSync(inflated, { level: 0 });
}
