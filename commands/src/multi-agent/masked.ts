import { MULTI_AGENT_TEXT_CHARS } from '@proofpane/core';
import { mask, scan } from '../dlp/index.js';

/** A text as multi-agent events keep it: every value DLP recognises replaced by its placeholder, cut short. */
export function maskedText(text: string, max: number = MULTI_AGENT_TEXT_CHARS): string {
  return mask({ text, findings: scan(text), vault: {} }).text.slice(0, max);
}
