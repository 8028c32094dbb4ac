import { PROVIDER_IDS, type ProviderId } from '../providers/index.js';

const BY_PREFIX: [RegExp, ProviderId][] = [
  [/^demo(?:-|$)/, 'demo'],
  [/^(?:gpt-|chatgpt-|text-embedding-|o\d(?:-|$))/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^(?:models\/)?gemini-/, 'gemini'],
  [/^deepseek-/, 'deepseek'],
];

/**
 * Which provider serves a model name: an explicit `provider/model`, a well-known model family, or else the
 * OpenAI-compatible server when one is configured. Undefined when nothing fits.
 */
export function resolveProvider(options: {
  model: string;
  openAiCompatibleAvailable: boolean;
}): { provider: ProviderId; model: string } | undefined {
  const { model } = options;
  const slash = model.indexOf('/');
  if (slash > 0) {
    const head = model.slice(0, slash);
    if ((PROVIDER_IDS as readonly string[]).includes(head))
      return { provider: head as ProviderId, model: model.slice(slash + 1) };
  }
  for (const [pattern, provider] of BY_PREFIX) if (pattern.test(model)) return { provider, model };
  return options.openAiCompatibleAvailable ? { provider: 'openai-compatible', model } : undefined;
}
