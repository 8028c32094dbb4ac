import { mask, scan } from '../dlp/index.js';

/**
 * What a reviewer reads: the texts with every value DLP recognises replaced by its typed
 * placeholder, whatever the policy's action for that type, cut to 2,000 characters.
 */
export function reviewSummary(texts: readonly string[]): string {
  let vault = {};
  const masked = texts.map((text) => {
    const result = mask({ text, findings: scan(text), vault });
    vault = result.vault;
    return result.text;
  });
  return masked.join('\n').slice(0, 2_000);
}
