import type { RecordedRequest, ScriptedReply } from '../../testing/fake-vendors/index.js';
import { verdictText } from './verdicts.js';

const words = (text: string) =>
  text
    .toLowerCase()
    .match(/[a-z0-9%,.]+/g)
    ?.map((w) => w.replace(/[,.]+$/, '')) ?? [];

/** The text between two headings of the judge's message (`judgeMessage`). */
function section(message: string, from: string, to?: string): string {
  const start = message.indexOf(from);
  if (start < 0) return '';
  const rest = message.slice(start + from.length);
  const end = to ? rest.indexOf(to) : -1;
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * A fake vendor's judge for benches and specs: it reads the judge's own message and scores grounding by a
 * word-overlap rule (a sentence is supported when its words of four letters or more, and its numbers, all
 * appear in the task input or the excerpts). Every other dimension scores 4. It stands in for a model, so
 * the calibration bench measures the judge's machinery and threshold, not a vendor.
 */
export function groundingVerdict(request: RecordedRequest): ScriptedReply {
  const messages = (request.body.messages ?? []) as { role: string; content: unknown }[];
  const user = messages.filter((m) => m.role === 'user').at(0);
  const text = typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
  const known = new Set(words(section(text, 'Task input:', 'Output under review:')));
  const output = section(text, 'Output under review:');
  const sentences = output
    .split(/(?<=\.)\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const unsupported = sentences.filter((s) =>
    words(s).some((w) => (w.length >= 4 || /\d/.test(w)) && !known.has(w)),
  );
  const grounding = unsupported.length === 0 ? 5 : 2;
  return {
    text: verdictText({ scores: [4, 4, grounding, 4], unsupportedClaims: unsupported.slice(0, 20) }),
    usage: { input: Math.ceil(text.length / 4), output: 120 },
  };
}
