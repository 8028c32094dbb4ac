/** The exact command a user runs on the machine to pair (docs/daemon.md: `pair --server URL --code CODE`). */
export function daemonPairCommand(options: { server: string; code: string }): string {
  return `proofpane-daemon pair --server ${options.server} --code ${options.code}`;
}

const quoteJson = (value: string) => JSON.stringify(value);

/**
 * Ready-to-paste snippets for a new API key: the official OpenAI and Anthropic SDKs pointed at this
 * gateway, and curl. The base URLs follow each SDK's convention (`/v1` for OpenAI, the root for
 * Anthropic, which appends `/v1/messages` itself).
 */
export function sdkSnippets(options: { origin: string; key: string; model?: string }): {
  openai: string;
  anthropic: string;
  curl: string;
} {
  const { origin, key } = options;
  const model = options.model ?? 'demo';
  return {
    openai: [
      "import OpenAI from 'openai';",
      '',
      `const client = new OpenAI({ baseURL: ${quoteJson(`${origin}/v1`)}, apiKey: ${quoteJson(key)} });`,
      'const reply = await client.chat.completions.create({',
      `  model: ${quoteJson(model)},`,
      "  messages: [{ role: 'user', content: 'Hello' }],",
      '});',
      'console.log(reply.choices[0].message.content);',
    ].join('\n'),
    anthropic: [
      "import Anthropic from '@anthropic-ai/sdk';",
      '',
      `const client = new Anthropic({ baseURL: ${quoteJson(origin)}, apiKey: ${quoteJson(key)} });`,
      'const reply = await client.messages.create({',
      `  model: ${quoteJson(model)},`,
      '  max_tokens: 256,',
      "  messages: [{ role: 'user', content: 'Hello' }],",
      '});',
      'console.log(reply.content);',
    ].join('\n'),
    curl: [
      `curl ${origin}/v1/chat/completions \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d '{"model": ${quoteJson(model)}, "messages": [{"role": "user", "content": "Hello"}]}'`,
    ].join('\n'),
  };
}

/** The models `/v1/models` lists (OpenAI shape): `provider/model` ids. */
export interface ListedModel {
  id: string;
  owned_by?: string;
}

// Small, cheap models first: a key test spends a few tokens, not a large model's price.
const CHEAP = /mini|haiku|flash|nano|small|lite|chat/;

/** The model a live key test asks: the provider's cheapest-looking listed model, else none. */
export function testModelFor(options: {
  provider: string;
  models: readonly ListedModel[];
}): string | undefined {
  const own = options.models
    .map((m) => m.id)
    .filter((id) => id.startsWith(`${options.provider}/`))
    .sort();
  return own.find((id) => CHEAP.test(id)) ?? own[0];
}
