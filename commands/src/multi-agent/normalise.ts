/**
 * The form answers are compared in for a vote: trimmed, lower-cased (Unicode NFKC first), runs of
 * whitespace as one space, and trailing punctuation (`.`, `!`, `?`, `,`, `;`, `:`, `…`) dropped, so
 * "Paris." and " paris" are the same vote.
 */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?,;:…]+$/u, '')
    .trim();
}
