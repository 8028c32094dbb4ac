import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const SCHEMA = { type: 'object', properties: { city: { type: 'string' } } };

// Recorded vendor bodies are arbitrary JSON; the assertions below name the fields they expect.
// biome-ignore lint/suspicious/noExplicitAny: a vendor body is walked field by field in the assertions
type Loose = Record<string, any>;

for (const driver of testDrivers) {
  describe(`unknown keys inside messages, parts, items and tools are refused by path, on ${driver}`, () => {
    let t: GatewayTestApp;
    let openai: OpenAI;
    let anthropic: Anthropic;
    const last = (v: GatewayTestApp['openai']) => v.requests.at(-1)!.body as Loose;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      openai = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      anthropic = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(() => t.close());

    /** The call is refused with 400 invalid_request naming each path and the provider; no vendor saw it. */
    async function refused(send: () => Promise<unknown>, provider: string, paths: string[]) {
      const seen = [t.openai.requests.length, t.anthropic.requests.length];
      const error = (await send().catch((e: unknown) => e)) as {
        status?: number;
        message?: string;
        error?: unknown;
      };
      expect(error).toMatchObject({ status: 400 });
      // openai keeps the body's `error` object, @anthropic-ai/sdk the whole body around it.
      const body = error.error as { message?: string; error?: { message?: string } } | undefined;
      const message = String(body?.error?.message ?? body?.message);
      // The vendor-shaped error body carries the gateway's code.
      expect(JSON.stringify(error.error)).toContain('"code":"invalid_request"');
      expect(message).toContain(`provider "${provider}" cannot honour`);
      for (const p of paths) expect(message).toContain(`"${p}"`);
      expect([t.openai.requests.length, t.anthropic.requests.length]).toEqual(seen);
      return message;
    }

    it('Chat Completions: names unknown keys in a message, a content part, a tool call, a tool and a format', async () => {
      await refused(
        () =>
          openai.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [
              { role: 'system', content: 'be brief', priority: 1 },
              { role: 'user', content: [{ type: 'text', text: 'hi', lang: 'en' }] },
              {
                role: 'assistant',
                content: null,
                tool_calls: [
                  { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}', hint: 'x' } },
                ],
              },
              { role: 'tool', tool_call_id: 'c1', content: 'done', ok: true },
              {
                role: 'user',
                content: [{ type: 'image_url', image_url: { url: 'https://img.example/a.png', zoom: 2 } }],
              },
            ],
            tools: [{ type: 'function', function: { name: 'f', parameters: SCHEMA, examples: [] } }],
            response_format: { type: 'json_schema', json_schema: { name: 'c', schema: SCHEMA, mode: 'x' } },
          } as never),
        'openai',
        [
          'messages[0].priority',
          'messages[1].content[0].lang',
          'messages[2].tool_calls[0].function.hint',
          'messages[3].ok',
          'messages[4].content[0].image_url.zoom',
          'tools[0].function.examples',
          'response_format.json_schema.mode',
        ],
      );
    });

    it('Chat Completions: takes back an answer the SDK returned, and refuses its annotations when there are some', async () => {
      t.openai.script({ toolCalls: [{ id: 'call_1', name: 'get_city', arguments: { city: 'Oslo' } }] });
      const first = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'where?' }],
        tools: [{ type: 'function', function: { name: 'get_city', parameters: SCHEMA } }],
      });
      const answer = first.choices[0]!.message;
      t.openai.script({ text: 'Oslo it is.' });
      const second = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'user', content: 'where?' },
          // As the SDK returned it: refusal, annotations and the rest travel back with it.
          { ...answer, annotations: [], audio: null } as never,
          { role: 'tool', tool_call_id: 'call_1', content: 'Oslo' },
        ],
        tools: [{ type: 'function', function: { name: 'get_city', parameters: SCHEMA } }],
      });
      expect(second.choices[0]!.message.content).toBe('Oslo it is.');
      expect(last(t.openai).messages[1]).toMatchObject({
        role: 'assistant',
        tool_calls: [{ id: 'call_1', function: { name: 'get_city' } }],
      });
      await refused(
        () =>
          openai.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [
              { role: 'user', content: 'hi' },
              {
                role: 'assistant',
                content: 'see the source',
                annotations: [
                  {
                    type: 'url_citation',
                    url_citation: { url: 'https://a.example', title: 'a', start_index: 0, end_index: 3 },
                  },
                ],
              },
              { role: 'user', content: 'more' },
            ],
          } as never),
        'openai',
        ['messages[1].annotations'],
      );
    });

    it('Chat Completions: refuses the deprecated function role and custom tools by name, on every provider', async () => {
      for (const [model, provider] of [
        ['gpt-4o-mini', 'openai'],
        ['claude-sonnet-4-5', 'anthropic'],
      ] as const) {
        await refused(
          () =>
            openai.chat.completions.create({
              model,
              messages: [
                { role: 'user', content: 'weather?' },
                {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'shell', input: 'ls' } }],
                },
                { role: 'function', name: 'get_weather', content: '{"c": 21}' },
              ],
              tools: [
                { type: 'function', function: { name: 'get_weather', parameters: SCHEMA } },
                { type: 'custom', custom: { name: 'shell', description: 'runs a line' } },
              ],
              tool_choice: { type: 'custom', custom: { name: 'shell' } },
            }),
          provider,
          [
            'messages[1].tool_calls[0].type=custom',
            'messages[2].role=function (deprecated: send the result as role "tool")',
            'tools[1].type=custom',
            'tool_choice.type=custom',
          ],
        );
      }
    });

    it('takes an unknown key whose value is null as absent', async () => {
      t.openai.script({ text: 'ok' });
      const answer = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', lang: null }], priority: null }],
      } as never);
      expect(answer.choices[0]!.message.content).toBe('ok');
      expect(last(t.openai).messages[0]).not.toHaveProperty('priority');
    });

    it('Messages: names unknown keys in a content block, a nested source, a tool result, a tool and an edit', async () => {
      await refused(
        () =>
          anthropic.messages.create({
            model: 'claude-haiku-4-5',
            max_tokens: 50,
            system: [{ type: 'text', text: 'be brief', weight: 2 }],
            messages: [
              { role: 'user', content: [{ type: 'text', text: 'hi', lang: 'en' }] },
              {
                role: 'assistant',
                content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {}, note: 'x' }],
              },
              {
                role: 'user',
                content: [
                  {
                    type: 'tool_result',
                    tool_use_id: 'toolu_1',
                    content: [{ type: 'text', text: 'done', score: 1 }],
                  },
                  {
                    type: 'image',
                    source: { type: 'url', url: 'https://img.example/a.png', referer: 'x' },
                  },
                ],
              },
            ],
            tools: [{ name: 'f', input_schema: { type: 'object' }, defer_loading: true }],
            context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all', depth: 1 }] },
          } as never),
        'anthropic',
        [
          'system[0].weight',
          'messages[0].content[0].lang',
          'messages[1].content[0].note',
          'messages[2].content[0].content[0].score',
          'messages[2].content[1].source.referer',
          'tools[0].defer_loading',
          'context_management.edits[0].depth',
        ],
      );
    });

    it('Messages: takes back an answer, a direct caller included, and refuses a server-tool caller by name', async () => {
      t.anthropic.script({ text: 'Checking.', toolCalls: [{ name: 'get_city', arguments: { q: 'x' } }] });
      const first = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'where?' }],
        tools: [{ name: 'get_city', input_schema: { type: 'object' } }],
      });
      const content = first.content.map((b) =>
        b.type === 'tool_use' ? { ...b, caller: { type: 'direct' } } : { ...b, citations: null },
      );
      const toolUseId = (first.content.find((b) => b.type === 'tool_use') as { id: string }).id;
      t.anthropic.script({ text: 'Oslo.' });
      const second = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [
          { role: 'user', content: 'where?' },
          { role: 'assistant', content: content as never },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'Oslo' }] },
        ],
        tools: [{ name: 'get_city', input_schema: { type: 'object' } }],
      });
      expect(second.content[0]).toMatchObject({ type: 'text', text: 'Oslo.' });
      expect(last(t.anthropic).messages[1].content).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'tool_use', id: toolUseId })]),
      );
      await refused(
        () =>
          anthropic.messages.create({
            model: 'claude-haiku-4-5',
            max_tokens: 50,
            messages: [
              { role: 'user', content: 'where?' },
              {
                role: 'assistant',
                content: [
                  {
                    type: 'tool_use',
                    id: 'toolu_9',
                    name: 'f',
                    input: {},
                    caller: { type: 'code_execution_20250825', tool_id: 'srvtoolu_1' },
                  },
                ],
              },
              { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'ok' }] },
            ],
          } as never),
        'anthropic',
        ['messages[1].content[0].caller.type=code_execution_20250825'],
      );
    });

    it('count_tokens names unknown nested keys too', async () => {
      await refused(
        () =>
          anthropic.messages.countTokens({
            model: 'claude-haiku-4-5',
            messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', lang: 'en' }] }],
          } as never),
        'anthropic',
        ['messages[0].content[0].lang'],
      );
    });

    it('Responses: names unknown keys in an input item, its part, a call output, a tool and text.format', async () => {
      await refused(
        () =>
          openai.responses.create({
            model: 'gpt-4o-mini',
            input: [
              { role: 'user', content: [{ type: 'input_text', text: 'hi', lang: 'en' }], priority: 1 },
              { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', hint: 'x' },
              { type: 'function_call_output', call_id: 'c1', output: 'ok', took_ms: 3 },
            ],
            tools: [{ type: 'function', name: 'f', parameters: SCHEMA, strict: false, examples: [] }],
            text: { format: { type: 'json_schema', name: 'c', schema: SCHEMA, mode: 'x' } },
          } as never),
        'openai',
        [
          'input[0].content[0].lang',
          'input[0].priority',
          'input[1].hint',
          'input[2].took_ms',
          'tools[0].examples',
          'text.format.mode',
        ],
      );
    });

    it('Responses: takes back the output items of an earlier response, and refuses their annotations', async () => {
      t.openai.script({ text: 'Calling.', toolCalls: [{ id: 'call_7', name: 'f', arguments: { a: 1 } }] });
      const first = await openai.responses.create({
        model: 'gpt-4o-mini',
        input: 'go',
        tools: [{ type: 'function', name: 'f', parameters: SCHEMA, strict: false }],
      });
      expect(first.output.map((o) => o.type)).toEqual(['message', 'function_call']);
      t.openai.script({ text: 'Done.' });
      const second = await openai.responses.create({
        model: 'gpt-4o-mini',
        input: [
          { role: 'user', content: 'go' },
          // As the SDK returned them: ids, statuses, empty annotations and logprobs travel back.
          ...(first.output as never[]),
          { type: 'function_call_output', call_id: 'call_7', output: 'ok' },
        ],
        tools: [{ type: 'function', name: 'f', parameters: SCHEMA, strict: false }],
      });
      expect(second.output_text).toBe('Done.');
      const messages = last(t.openai).messages as Loose[];
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
      expect(messages[1]).toMatchObject({
        content: 'Calling.',
        tool_calls: [{ id: 'call_7', function: { name: 'f' } }],
      });
      await refused(
        () =>
          openai.responses.create({
            model: 'gpt-4o-mini',
            input: [
              {
                type: 'message',
                role: 'assistant',
                content: [
                  {
                    type: 'output_text',
                    text: 'see',
                    annotations: [{ type: 'url_citation', url: 'https://a.example', start_index: 0 }],
                  },
                ],
              },
              { role: 'user', content: 'more' },
            ],
          } as never),
        'openai',
        ['input[0].content[0].annotations'],
      );
    });

    it('the embeddings route names an unknown key as well', async () => {
      const error = (await openai.embeddings
        .create({ model: 'text-embedding-3-small', input: 'hi', task: 'search' } as never)
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toContain('"task"');
      expect(error.message).toContain('provider "openai"');
    });
  });
}
