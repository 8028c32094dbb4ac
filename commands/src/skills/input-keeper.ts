import type { InlineWrite } from '@proofpane/core';
import { mask, scan } from '../dlp/index.js';
import type { ChatMessage } from '../providers/index.js';
import { INPUT_HEADING, OUTPUT_CONTRACT } from './prompt.js';

/**
 * Where a run keeps its input for later replays (docs/evolution.md): the rows to write in the same
 * transaction as the run's next event, or null when the org keeps none. The server passes the evolution
 * keeper; without one nothing is kept.
 */
export interface InputKeeper {
  keep(options: {
    org: string;
    skillId: string;
    runId: string;
    maskedInput: string;
  }): Promise<InlineWrite | null>;
}

/**
 * The run's input as the provider received it: the JSON between the skill message's heading and its
 * output contract, after the gateway's DLP masking. When the gateway did not say what it sent (a fake in
 * a spec) or the message is not in the runner's shape, every value DLP recognises is masked instead, so
 * the kept text never holds more than the provider saw.
 */
export function inputAsSent(options: { sent: readonly ChatMessage[] | undefined; input: unknown }): string {
  const first = options.sent?.find((m) => m.role === 'user');
  const content = typeof first?.content === 'string' ? first.content : undefined;
  const start = content?.indexOf(INPUT_HEADING) ?? -1;
  const end = content?.lastIndexOf(`\n${OUTPUT_CONTRACT}`) ?? -1;
  if (content && start >= 0 && end > start) return content.slice(start + INPUT_HEADING.length, end);
  const text = JSON.stringify(options.input ?? null, null, 2);
  return mask({ text, findings: scan(text), vault: {} }).text;
}
