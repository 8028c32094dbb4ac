import { describe, expect, it } from 'vitest';
import type { Block } from './blocks.js';
import { DocumentError } from './errors.js';
import { extractDocument } from './extract.js';
import { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from './limits.js';
import { bombStream, docxOf, pdfOf } from './testing/fixtures.js';

const extract = (
  bytes: Uint8Array,
  type: 'pdf' | 'docx' | 'markdown' | 'html' | 'text',
  limits: Partial<ExtractLimits> = {},
) => extractDocument({ bytes, type, limits: { ...DEFAULT_EXTRACT_LIMITS, ...limits } });

const refusal = async (promise: Promise<Block[]>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DocumentError) return error.code;
    throw error;
  }
  return 'accepted';
};
const texts = (blocks: Block[]) =>
  blocks.map((b) => (b.kind === 'heading' ? `h${b.level}:${b.text}` : b.text));

describe('extracting text in the bounded worker', () => {
  it('reads each format into headings and paragraphs', async () => {
    expect(
      texts(await extract(pdfOf({ pages: [['Retention policy'], ['Logs are kept one year']] }), 'pdf')),
    ).toEqual(['Retention policy', 'Logs are kept one year']);
    expect(
      texts(await extract(docxOf({ paragraphs: ['# Scope', 'Applies to vendors & staff.'] }), 'docx')),
    ).toEqual(['h1:Scope', 'Applies to vendors & staff.']);
    const html = new TextEncoder().encode(
      '<html><head><script>alert(1)</script></head><body><h2>Access</h2><p>Reviewed <b>quarterly</b>.</p></body></html>',
    );
    expect(texts(await extract(html, 'html'))).toEqual(['h2:Access', 'Reviewed quarterly.']);
    expect(texts(await extract(new TextEncoder().encode('# A\n\none\n\ntwo'), 'markdown'))).toEqual([
      'h1:A',
      'one',
      'two',
    ]);
    expect(texts(await extract(new TextEncoder().encode('one\n\n\ntwo'), 'text'))).toEqual(['one', 'two']);
  });

  it('refuses a PDF with more pages than allowed before reading any', async () => {
    const pages = Array.from({ length: 12 }, (_, i) => [`page ${i}`]);
    expect(await refusal(extract(pdfOf({ pages }), 'pdf', { pdfPages: 10 }))).toBe('document_rejected');
  });

  it('refuses a PDF whose stream inflates past the bound, without inflating it whole', async () => {
    // 64 MiB of text operators in about 70 KB; the bound is 8 MiB.
    const raw = bombStream(64 * 1024 * 1024);
    expect(raw.length).toBeLessThan(1024 * 1024);
    const bomb = pdfOf({ pages: [['x']], rawContent: raw });
    expect(await refusal(extract(bomb, 'pdf', { pdfInflatedBytes: 8 * 1024 * 1024 }))).toBe(
      'document_rejected',
    );
  });

  it('refuses text beyond the character bound', async () => {
    const pdf = pdfOf({ pages: Array.from({ length: 5 }, () => ['A'.repeat(80)]) });
    expect(await refusal(extract(pdf, 'pdf', { extractedChars: 200 }))).toBe('document_too_large');
    expect(
      await refusal(extract(new TextEncoder().encode('x'.repeat(300)), 'text', { extractedChars: 200 })),
    ).toBe('document_too_large');
  });

  it('refuses a DOCX zip bomb from its central directory', async () => {
    // One entry of 64 MiB of zeros: about 64 KB compressed, a ratio past 100.
    const bomb = docxOf({
      paragraphs: ['x'],
      extra: { 'word/media/zeros.bin': new Uint8Array(64 * 1024 * 1024) },
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await refusal(extract(bomb, 'docx'))).toBe('document_rejected');
    // Many entries whose declared sizes add up past the bound, each below the ratio.
    const wide = docxOf({
      paragraphs: ['x'],
      extra: Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [
          `word/media/r${i}.bin`,
          crypto.getRandomValues(new Uint8Array(60_000)),
        ]),
      ),
    });
    expect(await refusal(extract(wide, 'docx', { docxUncompressedBytes: 256 * 1024 }))).toBe(
      'document_rejected',
    );
  });

  it('refuses a zip without word/document.xml as no DOCX', async () => {
    const { zipSync, strToU8 } = await import('fflate');
    expect(await refusal(extract(zipSync({ 'a.txt': strToU8('hi') }), 'docx'))).toBe(
      'document_type_mismatch',
    );
  });

  it('refuses a parse that outlasts the time bound', async () => {
    const pages = Array.from({ length: 40 }, (_, i) => [`page ${i} `.repeat(50)]);
    expect(await refusal(extract(pdfOf({ pages }), 'pdf', { timeMs: 0 }))).toBe('document_rejected');
  });
});
