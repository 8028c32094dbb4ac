import type { DocumentType } from '@proofpane/api';
import { convert, type FormatCallback } from 'html-to-text';
import mammoth from 'mammoth';
import { getDocumentProxy } from 'unpdf';
import { type Block, blocksLength, markdownBlocks, textBlocks } from './blocks.js';
import { ExtractFailure } from './extract-failure.js';
import type { ExtractLimits } from './limits.js';
import { checkPdfStreams } from './pdf-guard.js';
import { boundedDocx } from './zip-guard.js';

/** Headings become `#` lines, so HTML (and DOCX, through its HTML) keeps its structure for chunking. */
const heading =
  (level: number): FormatCallback =>
  (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addLiteral(`${'#'.repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };

const LEVELS = [1, 2, 3, 4, 5, 6] as const;

export function htmlToMarkdownish(html: string): string {
  return convert(html, {
    wordwrap: false,
    formatters: Object.fromEntries(LEVELS.map((l) => [`h${l}`, heading(l)])),
    selectors: [
      ...LEVELS.map((l) => ({ selector: `h${l}`, format: `h${l}` })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'table', format: 'dataTable' },
    ],
  });
}

/** A clock for one extraction: past its deadline, the file is refused rather than parsed on. */
function deadline(limits: ExtractLimits) {
  const end = performance.now() + limits.timeMs;
  return () => {
    if (performance.now() > end)
      throw new ExtractFailure('document_rejected', `parsing took longer than ${limits.timeMs} ms`);
  };
}

const tooLong = (limits: ExtractLimits) =>
  new ExtractFailure(
    'document_too_large',
    `the extracted text is longer than ${limits.extractedChars} characters`,
  );

function bounded(text: string, limits: ExtractLimits): string {
  if (text.length > limits.extractedChars) throw tooLong(limits);
  return text;
}

async function pdfBlocks(bytes: Uint8Array, limits: ExtractLimits, check: () => void): Promise<Block[]> {
  checkPdfStreams(bytes, limits.pdfInflatedBytes);
  check();
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(bytes, { isEvalSupported: false, stopAtErrors: false });
  } catch {
    throw new ExtractFailure('document_unreadable', 'the PDF could not be opened');
  }
  try {
    if (pdf.numPages > limits.pdfPages)
      throw new ExtractFailure(
        'document_rejected',
        `the PDF has ${pdf.numPages} pages; ${limits.pdfPages} at most`,
      );
    const blocks: Block[] = [];
    let characters = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      check();
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str + (item.hasEOL ? '\n' : '');
        if (characters + text.length > limits.extractedChars) throw tooLong(limits);
      }
      page.cleanup();
      characters += text.length;
      // A PDF's lines are layout, not structure: a blank line (or a page) ends a paragraph.
      blocks.push(...textBlocks(text));
    }
    return blocks;
  } finally {
    await pdf.destroy();
  }
}

/**
 * The text of an upload as blocks, within the limits: pages counted before any is read, characters
 * as they come, the clock between steps. Runs in the extraction worker (`extract.ts`), which also bounds
 * memory and kills a parse that blocks past the time limit.
 */
export async function extractBlocks(options: {
  bytes: Uint8Array;
  type: DocumentType;
  limits: ExtractLimits;
}): Promise<Block[]> {
  const { bytes, type, limits } = options;
  const check = deadline(limits);
  const utf8 = () => bounded(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''), limits);
  let blocks: Block[];
  switch (type) {
    case 'pdf':
      blocks = await pdfBlocks(bytes, limits, check);
      break;
    case 'docx': {
      const stored = boundedDocx(bytes, limits);
      check();
      let html: string;
      try {
        ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(stored) }));
      } catch {
        throw new ExtractFailure('document_unreadable', 'the DOCX could not be read');
      }
      check();
      // The HTML carries markup besides the text; four times the text bound leaves room for it.
      if (html.length > limits.extractedChars * 4) throw tooLong(limits);
      blocks = markdownBlocks(htmlToMarkdownish(html));
      break;
    }
    case 'markdown':
      blocks = markdownBlocks(utf8());
      break;
    case 'html':
      blocks = markdownBlocks(htmlToMarkdownish(utf8()));
      break;
    case 'text':
      blocks = textBlocks(utf8());
      break;
    default: {
      const never: never = type;
      throw new Error(`unknown type ${String(never)}`);
    }
  }
  check();
  if (blocksLength(blocks) > limits.extractedChars) throw tooLong(limits);
  if (blocksLength(blocks) === 0)
    throw new ExtractFailure('document_unreadable', 'no text could be extracted');
  return blocks;
}
