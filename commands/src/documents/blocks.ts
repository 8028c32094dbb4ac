/** A document as structure: headings and the paragraphs under them, in order. */
export type Block = { kind: 'heading'; level: number; text: string } | { kind: 'paragraph'; text: string };

const FENCE = /^(```|~~~)/;
const ATX = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/;

/**
 * Markdown's block structure, line by line: ATX headings, fenced code kept whole, paragraphs
 * separated by blank lines (lists and quotes stay paragraphs). Inline markup is kept as written: it
 * is text a reader searches for. HTML, DOCX and plain text reach chunking through this same shape.
 */
export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let fence: string | undefined;
  const flush = () => {
    const text = paragraph.join('\n').trim();
    if (text) blocks.push({ kind: 'paragraph', text });
    paragraph = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const opening = line.match(FENCE)?.[1];
    if (fence !== undefined) {
      paragraph.push(line);
      if (opening === fence) {
        fence = undefined;
        flush();
      }
      continue;
    }
    if (opening) {
      flush();
      fence = opening;
      paragraph.push(line);
      continue;
    }
    const heading = line.match(ATX);
    if (heading) {
      flush();
      const text = heading[2]!.trim();
      if (text) blocks.push({ kind: 'heading', level: heading[1]!.length, text });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** Plain text: paragraphs separated by blank lines, no headings. */
export const textBlocks = (text: string): Block[] =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ kind: 'paragraph', text: p }));

export const blocksLength = (blocks: readonly Block[]) => blocks.reduce((n, b) => n + b.text.length, 0);
