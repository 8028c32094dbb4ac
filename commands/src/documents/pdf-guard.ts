import { Unzlib } from 'fflate';
import { ExtractFailure } from './extract-failure.js';

const STREAM = new TextEncoder().encode('stream');
const END = new TextEncoder().encode('endstream');
const PIECE = 16 * 1024;

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (
    let i = haystack.indexOf(first, from);
    i >= 0 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/**
 * Refuses a PDF whose compressed streams inflate past `maxBytes` in all, before the PDF parser sees
 * it: each `stream … endstream` body is inflated in 16 KiB pieces and its output only counted, never
 * kept, so a bomb costs a bounded buffer and stops at the bound. Bodies that are not zlib data
 * (images, other filters) are skipped; the parser's own limits cover them.
 */
export function checkPdfStreams(bytes: Uint8Array, maxBytes: number): void {
  let total = 0;
  let at = 0;
  for (;;) {
    const start = indexOf(bytes, STREAM, at);
    if (start < 0) return;
    let body = start + STREAM.length;
    if (bytes[body] === 0x0d) body++;
    if (bytes[body] === 0x0a) body++;
    const end = indexOf(bytes, END, body);
    if (end < 0) return;
    at = end + END.length;
    // `endstream` contains `stream`: a match that is the tail of `endstream` is not a body.
    if (start >= 3 && bytes[start - 3] === 0x65 && bytes[start - 2] === 0x6e && bytes[start - 1] === 0x64)
      continue;
    const inflater = new Unzlib((chunk) => {
      total += chunk.length;
      if (total > maxBytes)
        throw new ExtractFailure('document_rejected', `the PDF's streams inflate past ${maxBytes} bytes`);
    });
    try {
      for (let i = body; i < end; i += PIECE)
        inflater.push(bytes.subarray(i, Math.min(end, i + PIECE)), i + PIECE >= end);
    } catch (error) {
      if (error instanceof ExtractFailure) throw error;
      // Not zlib data: another filter, or raw; not this check's to judge.
    }
  }
}
