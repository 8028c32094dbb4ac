import { mask, scan } from '../dlp/index.js';

/**
 * Judge-written text as the quality events keep it: every value DLP recognises replaced by its
 * placeholder, cut to the schema's 400 characters. A judge quotes the output, and the output may hold
 * personal data the event must not.
 */
export function maskedJudgeText(text: string, max = 400): string {
  const masked = mask({ text, findings: scan(text), vault: {} }).text.trim();
  return (masked.length > max ? `${masked.slice(0, max - 1)}…` : masked) || '-';
}
