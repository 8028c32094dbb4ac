import { describe, expect, it } from 'vitest';
import { DocumentError } from './errors.js';
import { plainFileName, sniffDocumentType } from './sniff.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DocumentError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('sniffing an upload', () => {
  it('knows each format by its bytes and the declared flavour of text', () => {
    expect(
      sniffDocumentType({ bytes: bytes('%PDF-1.7\n'), declaredType: 'application/pdf', fileName: 'a.pdf' }),
    ).toBe('pdf');
    expect(sniffDocumentType({ bytes: zip, declaredType: '', fileName: 'a.docx' })).toBe('docx');
    expect(sniffDocumentType({ bytes: bytes('# T'), declaredType: 'text/plain', fileName: 'notes.md' })).toBe(
      'markdown',
    );
    expect(sniffDocumentType({ bytes: bytes('<p>x</p>'), declaredType: 'text/html', fileName: 'page' })).toBe(
      'html',
    );
    expect(
      sniffDocumentType({ bytes: bytes('plain'), declaredType: 'application/octet-stream', fileName: 'x' }),
    ).toBe('text');
  });

  it('refuses a declared type or extension the bytes contradict', () => {
    expect(
      refusal(() =>
        sniffDocumentType({ bytes: bytes('hello'), declaredType: 'application/pdf', fileName: 'a.pdf' }),
      ),
    ).toBe('document_type_mismatch');
    expect(
      refusal(() =>
        sniffDocumentType({ bytes: bytes('%PDF-1.4'), declaredType: 'text/plain', fileName: 'a.txt' }),
      ),
    ).toBe('document_type_mismatch');
    expect(
      refusal(() => sniffDocumentType({ bytes: zip, declaredType: 'application/pdf', fileName: 'a.pdf' })),
    ).toBe('document_type_mismatch');
    expect(
      refusal(() =>
        sniffDocumentType({ bytes: bytes('%PDF-1.4'), declaredType: '', fileName: 'report.docx' }),
      ),
    ).toBe('document_type_mismatch');
  });

  it('refuses binary that is no document and types it does not take', () => {
    expect(
      refusal(() =>
        sniffDocumentType({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0]), declaredType: '', fileName: 'x' }),
      ),
    ).toBe('document_type_unsupported');
    expect(
      refusal(() => sniffDocumentType({ bytes: bytes('x'), declaredType: 'image/png', fileName: 'x.png' })),
    ).toBe('document_type_unsupported');
  });
});

describe('file names', () => {
  it('takes a plain name and refuses one that is a path', () => {
    expect(plainFileName(' policy.md ')).toBe('policy.md');
    for (const name of ['../../x', 'a/b.md', '..\\x', '..', '', 'a\u0000b'])
      expect(
        refusal(() => plainFileName(name)),
        name,
      ).toBe('document_upload_invalid');
  });
});
