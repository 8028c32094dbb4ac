import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/**
 * A small valid PDF: one page per entry of `pages`, each line a text run in Helvetica. `content`
 * replaces a page's content stream (compressed with FlateDecode when `deflate`), for hostile files.
 */
export function pdfOf(options: { pages: string[][]; declaredPages?: number; rawContent?: Buffer }): Buffer {
  const objects: Buffer[] = [];
  const pageCount = options.pages.length;
  const firstPage = 4;
  const kids = options.pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
  objects.push(latin1('<< /Type /Catalog /Pages 2 0 R >>'));
  objects.push(latin1(`<< /Type /Pages /Kids [${kids}] /Count ${options.declaredPages ?? pageCount} >>`));
  objects.push(latin1('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'));
  options.pages.forEach((lines, i) => {
    objects.push(
      latin1(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${firstPage + i * 2 + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      ),
    );
    if (options.rawContent && i === 0) {
      objects.push(
        Buffer.concat([
          latin1(`<< /Length ${options.rawContent.length} /Filter /FlateDecode >>\nstream\n`),
          options.rawContent,
          latin1('\nendstream'),
        ]),
      );
    } else {
      const text = `BT /F1 12 Tf 72 720 Td ${lines.map((l) => `(${l}) Tj 0 -16 Td`).join(' ')} ET`;
      objects.push(latin1(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`));
    }
  });
  const parts: Buffer[] = [latin1('%PDF-1.4\n')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const obj = Buffer.concat([latin1(`${i + 1} 0 obj\n`), body, latin1('\nendobj\n')]);
    parts.push(obj);
    length += obj.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets
    .map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)
    .join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(latin1(xref));
  return Buffer.concat(parts);
}

/** A content stream that inflates to `bytes` of text operators, compressed. */
export const bombStream = (bytes: number) =>
  deflateSync(Buffer.alloc(bytes, '(AAAAAAAAAAAAAAAAAAAA) Tj '), { level: 9 });

const DOCX_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const DOCX_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A minimal DOCX: paragraphs, `# ` lines as Heading1 (mammoth maps the style to `<h1>`). */
export function docxOf(options: { paragraphs: string[]; extra?: Record<string, Uint8Array> }): Buffer {
  const body = options.paragraphs
    .map((p) =>
      p.startsWith('# ')
        ? `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>${escapeXml(p.slice(2))}</w:t></w:r></w:p>`
        : `<w:p><w:r><w:t>${escapeXml(p)}</w:t></w:r></w:p>`,
    )
    .join('');
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(DOCX_TYPES),
      '_rels/.rels': strToU8(DOCX_RELS),
      'word/document.xml': strToU8(document),
      ...(options.extra ?? {}),
    }),
  );
}
