import type { DocumentType } from '@proofpane/api';
import { DocumentError } from './errors.js';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Declared content types and what they claim; `undefined` claims nothing (a browser's default). */
const DECLARED: Record<string, DocumentType | 'textual' | undefined> = {
  'application/pdf': 'pdf',
  [DOCX_MIME]: 'docx',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'textual',
  'application/octet-stream': undefined,
  '': undefined,
};

const EXTENSIONS: Record<string, DocumentType> = {
  pdf: 'pdf',
  docx: 'docx',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  txt: 'text',
  text: 'text',
};

const textual = (type: DocumentType) => type === 'markdown' || type === 'html' || type === 'text';

/**
 * A file name as the client sent it, refused unless it is one plain segment. It names the title at
 * most: stored files are named by their hash, so a name can never choose a path.
 */
export function plainFileName(name: string): string {
  const trimmed = name.trim();
  if (
    trimmed.length === 0 ||
    trimmed.length > 255 ||
    /[/\\]/.test(trimmed) ||
    trimmed === '.' ||
    trimmed === '..' ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
    /[\u0000-\u001f\u007f]/.test(trimmed)
  )
    throw new DocumentError(
      'document_upload_invalid',
      'the file name must be a plain name (no "/", "\\", ".." or control characters, 255 at most)',
    );
  return trimmed;
}

const extensionOf = (name: string): DocumentType | undefined => {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
};

const startsWith = (bytes: Uint8Array, magic: string) =>
  bytes.length >= magic.length && [...magic].every((c, i) => bytes[i] === c.charCodeAt(0));

/** Whether the bytes are UTF-8 text without NUL (a BOM allowed). */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The document's type from its bytes (`%PDF-`, a `PK` zip, or UTF-8 text), checked against what the
 * client declared (content type and file extension): a declaration the bytes contradict is refused
 * with `document_type_mismatch`. A zip is only a candidate DOCX; the zip guard checks its entries.
 */
export function sniffDocumentType(options: {
  bytes: Uint8Array;
  declaredType: string;
  fileName: string;
}): DocumentType {
  const { bytes } = options;
  const mime = options.declaredType.split(';')[0]!.trim().toLowerCase();
  if (!Object.hasOwn(DECLARED, mime))
    throw new DocumentError(
      'document_type_unsupported',
      `"${mime.slice(0, 100)}" is not a document type this accepts: PDF, DOCX, Markdown, HTML or plain text`,
    );
  const declared = DECLARED[mime];
  const extension = extensionOf(options.fileName);
  const sniffed: DocumentType | 'textual' | undefined = startsWith(bytes, '%PDF-')
    ? 'pdf'
    : startsWith(bytes, 'PK\u0003\u0004')
      ? 'docx'
      : isText(bytes)
        ? 'textual'
        : undefined;
  if (!sniffed)
    throw new DocumentError(
      'document_type_unsupported',
      'the bytes are neither a PDF, a DOCX nor UTF-8 text',
    );
  const agrees = (claim: DocumentType | 'textual' | undefined) =>
    claim === undefined ||
    claim === sniffed ||
    (sniffed === 'textual' && (claim === 'textual' || textual(claim as DocumentType)));
  if (!agrees(declared) || !agrees(extension))
    throw new DocumentError(
      'document_type_mismatch',
      `the file is declared as ${declared ?? extension} but its bytes are ${sniffed === 'textual' ? 'text' : sniffed.toUpperCase()}`,
    );
  if (sniffed !== 'textual') return sniffed;
  // Text: the extension or the content type says which flavour; plain text otherwise.
  if (extension && textual(extension)) return extension;
  if (declared && declared !== 'textual') return declared;
  return 'text';
}
