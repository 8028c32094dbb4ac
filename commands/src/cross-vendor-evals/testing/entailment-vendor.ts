import { type FakeVendor, sendJson, startFakeVendor } from '../../testing/fake-vendors/server.js';

/**
 * A judge for specs and benches that answers in OpenAI's Chat Completions format from the request's
 * content rather than a script, so pairs judged concurrently get stable verdicts: the premise entails
 * the hypothesis when both name the same one of `terms` (or neither names any).
 */
export function startEntailmentVendor(options: { terms: readonly string[] }): Promise<FakeVendor> {
  return startFakeVendor({
    handler: ({ res, request }) => {
      const messages = (request.body.messages ?? []) as { role: string; content: unknown }[];
      const prompt = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
      const premise = /Premise: ([\s\S]*?)\n\nHypothesis:/.exec(prompt)?.[1] ?? '';
      const hypothesis = /Hypothesis: ([\s\S]*?)\n\nDoes the premise/.exec(prompt)?.[1] ?? '';
      const named = (text: string) =>
        options.terms.filter((t) => text.toLowerCase().includes(t.toLowerCase()));
      const entails = named(premise).join('|') === named(hypothesis).join('|');
      sendJson(res, 200, {
        id: `chatcmpl-judge-${Date.now()}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: String(request.body.model ?? 'judge'),
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: JSON.stringify({ entails }) },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 40, completion_tokens: 5, total_tokens: 45 },
      });
    },
  });
}
