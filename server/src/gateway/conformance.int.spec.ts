import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeVendor,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../../../commands/src/testing/index.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

// A 1×1 PNG and a one-page PDF header: the gateway never decodes media, so any base64 does.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF').toString('base64');
const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};
const WEATHER = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: SCHEMA, strict: true },
};

// Recorded vendor bodies are arbitrary JSON; the assertions below name the fields they expect.
// biome-ignore lint/suspicious/noExplicitAny: a vendor body is walked field by field in the assertions
type Loose = Record<string, any>;
const last = (v: { requests: { body: Record<string, unknown> }[] }) => v.requests.at(-1)!.body as Loose;

for (const driver of testDrivers) {
  describe(`wire conformance: every parameter carried or refused by name, on ${driver}`, () => {
    let t: GatewayTestApp;
    let compat: FakeVendor;
    let gemini: FakeVendor;
    let deepseek: FakeVendor;
    let openai: OpenAI;
    let anthropic: Anthropic;
    beforeAll(async () => {
      compat = await startFakeOpenAI();
      gemini = await startFakeGemini();
      deepseek = await startFakeOpenAI();
      t = await createGatewayTestApp({
        driver,
        openai: await startFakeOpenAI(),
        anthropic: await startFakeAnthropic(),
        env: {
          OPENAI_COMPATIBLE_BASE_URL: `${compat.url}/v1`,
          GEMINI_API_KEY: 'gemini-test-key',
          GEMINI_BASE_URL: gemini.url,
          DEEPSEEK_API_KEY: 'deepseek-test-key',
          DEEPSEEK_BASE_URL: deepseek.url,
        },
      });
      openai = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      anthropic = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(async () => {
      await t.close();
      await Promise.all([compat.close(), gemini.close(), deepseek.close()]);
    });

    /** Refused with 400 invalid_request naming each parameter and the provider; the vendor saw nothing. */
    async function refusedByOpenAi(body: Record<string, unknown>, provider: string, params: string[]) {
      const seen = [t.openai, t.anthropic, compat, gemini, deepseek].map((v) => v.requests.length);
      const error = await openai.chat.completions
        .create({ max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], ...body } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const e = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(e.code).toBe('invalid_request');
      expect(e.message).toContain(`provider "${provider}"`);
      for (const p of params) expect(e.message).toContain(`"${p}"`);
      expect(e.requestID).toMatch(/^req_/);
      expect([t.openai, t.anthropic, compat, gemini, deepseek].map((v) => v.requests.length)).toEqual(seen);
    }

    it('OpenAI: carries every Chat Completions parameter in its own field', async () => {
      const { data, response, request_id } = await openai.chat.completions
        .create({
          model: 'gpt-4o-mini',
          max_completion_tokens: 64,
          temperature: 0.3,
          top_p: 0.9,
          stop: ['END'],
          seed: 42,
          frequency_penalty: 0.5,
          presence_penalty: -0.5,
          user: 'end-user-7',
          metadata: { team: 'search' },
          parallel_tool_calls: false,
          reasoning_effort: 'low',
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'city', schema: SCHEMA, strict: true },
          },
          tools: [WEATHER],
          n: 1,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'hi' },
                { type: 'text', text: 'there' },
                { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
                { type: 'image_url', image_url: { url: 'https://img.example/cat.jpg' } },
                {
                  type: 'file',
                  file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${PDF}` },
                },
              ],
            },
          ],
        })
        .withResponse();
      expect(data.choices).toHaveLength(1);
      // The SDKs' request id is the call's id, whose events are on call/<id>.
      expect(request_id).toBe(response.headers.get('x-proofpane-request-id'));
      expect(request_id).toMatch(/^req_/);
      const body = last(t.openai);
      expect(body).toMatchObject({
        max_tokens: 64,
        temperature: 0.3,
        top_p: 0.9,
        stop: ['END'],
        seed: 42,
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning_effort: 'low',
        response_format: { type: 'json_schema', json_schema: { name: 'city', strict: true } },
        tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }],
      });
      expect(body.response_format.json_schema.schema).toMatchObject({ required: ['city'] });
      expect(body.messages[0].content).toEqual([
        { type: 'text', text: 'hi' },
        { type: 'text', text: 'there' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'low' } },
        { type: 'image_url', image_url: { url: 'https://img.example/cat.jpg' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${PDF}` } },
      ]);
      expect(body).not.toHaveProperty('n');

      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: 'JSON please' }],
      });
      expect(last(t.openai).response_format).toEqual({ type: 'json_object' });
    });

    it('Anthropic: carries the Messages parameters, and the OpenAI ones it has a field for', async () => {
      // Cast: the SDK's types no longer list top_p and top_k, which the Messages API still takes.
      const message = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 80,
        top_p: 0.8,
        top_k: 40,
        stop_sequences: ['###'],
        metadata: { user_id: 'end-user-9' },
        thinking: { type: 'disabled' },
        tools: [{ name: 'get_weather', input_schema: SCHEMA as never }],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi' },
              { type: 'text', text: 'there' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'image', source: { type: 'url', url: 'https://img.example/cat.jpg' } },
              {
                type: 'document',
                title: 'a.pdf',
                source: { type: 'base64', media_type: 'application/pdf', data: PDF },
              },
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
            ],
          },
        ],
      } as never);
      expect(message._request_id).toMatch(/^req_/);
      const body = last(t.anthropic);
      expect(body).toMatchObject({
        max_tokens: 80,
        top_p: 0.8,
        top_k: 40,
        stop_sequences: ['###'],
        metadata: { user_id: 'end-user-9' },
        thinking: { type: 'disabled' },
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      });
      const content = body.messages[0].content as Loose[];
      expect(content.map((b) => b.type)).toEqual(['text', 'text', 'image', 'image', 'document', 'text']);
      expect(content.slice(0, 2).map((b) => b.text)).toEqual(['hi', 'there']);
      expect(content[2]!.source).toEqual({ type: 'base64', media_type: 'image/png', data: PNG });
      expect(content[3]!.source).toEqual({ type: 'url', url: 'https://img.example/cat.jpg' });
      expect(content[4]!.source).toMatchObject({ type: 'base64', media_type: 'application/pdf', data: PDF });
      expect(content[5]!.text).toBe('plain notes');

      // The OpenAI wire reaching Anthropic: user → metadata.user_id, stop → stop_sequences, a JSON schema
      // → structured output, a data-URL image → an image block.
      await openai.chat.completions.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        stop: 'END',
        user: 'end-user-7',
        top_p: 0.5,
        parallel_tool_calls: false,
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: SCHEMA } }],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema: SCHEMA } },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'where?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
      });
      const crossed = last(t.anthropic);
      expect(crossed).toMatchObject({
        stop_sequences: ['END'],
        metadata: { user_id: 'end-user-7' },
        top_p: 0.5,
        tool_choice: { disable_parallel_tool_use: true },
      });
      expect(JSON.stringify(crossed)).toContain('"required":["city"]');
      expect(crossed.messages[0].content[1]).toMatchObject({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: PNG },
      });
    });

    it('an OpenAI-compatible server gets the parameters verbatim, top_k included', async () => {
      await openai.chat.completions.create({
        model: 'llama3.1',
        max_tokens: 30,
        top_p: 0.7,
        seed: 7,
        stop: ['x'],
        frequency_penalty: 1,
        presence_penalty: 1,
        user: 'u1',
        metadata: { k: 'v' },
        parallel_tool_calls: true,
        reasoning_effort: 'high',
        tools: [WEATHER],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema: SCHEMA } },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi' },
              { type: 'text', text: 'there' },
              { type: 'image_url', image_url: { url: 'https://img.example/cat.jpg' } },
            ],
          },
        ],
      });
      const body = last(compat);
      expect(body).toMatchObject({
        model: 'llama3.1',
        top_p: 0.7,
        seed: 7,
        stop: ['x'],
        frequency_penalty: 1,
        presence_penalty: 1,
        user: 'u1',
        metadata: { k: 'v' },
        parallel_tool_calls: true,
        reasoning_effort: 'high',
        response_format: { type: 'json_schema', json_schema: { name: 'city' } },
        tools: [{ function: { name: 'get_weather', strict: true } }],
      });
      expect(body.messages[0].content.map((p: { type: string }) => p.type)).toEqual([
        'text',
        'text',
        'image_url',
      ]);
      await anthropic.messages.create({
        model: 'openai-compatible/llama3.1',
        max_tokens: 30,
        top_k: 20,
        messages: [{ role: 'user', content: 'hi' }],
      } as never);
      expect(last(compat).top_k).toBe(20);
    });

    it('Gemini and DeepSeek get what their APIs have fields for', async () => {
      await openai.chat.completions.create({
        model: 'gemini-2.0-flash',
        max_tokens: 40,
        top_p: 0.6,
        seed: 3,
        stop: ['STOP'],
        presence_penalty: 0.1,
        response_format: { type: 'json_object' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
      });
      const g = last(gemini);
      expect(g.generationConfig).toMatchObject({
        maxOutputTokens: 40,
        topP: 0.6,
        seed: 3,
        stopSequences: ['STOP'],
        presencePenalty: 0.1,
        responseMimeType: 'application/json',
      });
      expect(g.contents[0].parts).toEqual([
        { text: 'hi' },
        { inlineData: { mimeType: 'image/png', data: PNG } },
      ]);

      await openai.chat.completions.create({
        model: 'deepseek-chat',
        max_tokens: 40,
        top_p: 0.6,
        user: 'user_1',
        response_format: { type: 'json_object' },
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'hi' },
              { type: 'text', text: 'there' },
            ],
          },
        ],
      });
      const d = last(deepseek);
      expect(d).toMatchObject({ top_p: 0.6, user_id: 'user_1', response_format: { type: 'json_object' } });
      // DeepSeek's SDK model concatenates text parts; the gateway keeps them apart with a newline.
      expect(d.messages.at(-1)).toMatchObject({ role: 'user', content: 'hi\nthere' });
    });

    it('Anthropic: carries thinking and cache_control, and answers with signed thinking and cache usage', async () => {
      t.anthropic.script({
        thinking: [{ text: 'Lyon is in France.', signature: 'sig-A' }, { redacted: 'ENCRYPTED-B' }],
        text: 'Sunny, 21°C.',
        usage: { input: 40, output: 30, cacheRead: 900, cacheWrite5m: 200, cacheWrite1h: 100 },
      });
      const message = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 8_000,
        thinking: { type: 'enabled', budget_tokens: 4_000 },
        system: [
          { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          { type: 'text', text: 'Units: metric.' },
        ],
        tools: [{ name: 'get_weather', input_schema: SCHEMA as never, cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: 'Weather in Lyon?' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'Ask the tool.', signature: 'sig-0' },
              { type: 'redacted_thinking', data: 'ENCRYPTED-0' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lyon' } },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: '21C',
                cache_control: { type: 'ephemeral' },
              },
            ],
          },
        ],
      });
      const sent = last(t.anthropic);
      // The caller's max_tokens, which holds the thinking budget, as Anthropic counts it.
      expect(sent).toMatchObject({ max_tokens: 8_000, thinking: { type: 'enabled', budget_tokens: 4_000 } });
      expect(sent.system).toEqual([
        { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'Units: metric.' },
      ]);
      expect(sent.tools[0]).toMatchObject({ name: 'get_weather', cache_control: { type: 'ephemeral' } });
      expect(sent.messages[1].content).toEqual([
        { type: 'thinking', thinking: 'Ask the tool.', signature: 'sig-0' },
        { type: 'redacted_thinking', data: 'ENCRYPTED-0' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lyon' } },
      ]);
      expect(sent.messages[2].content).toEqual([
        { type: 'tool_result', tool_use_id: 'toolu_1', content: '21C', cache_control: { type: 'ephemeral' } },
      ]);

      expect(message.content).toEqual([
        { type: 'thinking', thinking: 'Lyon is in France.', signature: 'sig-A' },
        { type: 'redacted_thinking', data: 'ENCRYPTED-B' },
        { type: 'text', text: 'Sunny, 21°C.' },
      ]);
      expect(message.usage).toMatchObject({
        input_tokens: 40,
        cache_read_input_tokens: 900,
        cache_creation_input_tokens: 300,
        cache_creation: { ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 },
        output_tokens: 30,
      });
      const completed = (await t.events(t.account.org, 'cp.llm.call.completed')).find(
        (e) => e.subject === `call/${message._request_id}`,
      )!.data;
      // $1 per million plain, $0.10 read, $1.25 written for 5 minutes, $2 for an hour, $5 out.
      expect(completed).toMatchObject({
        inputTokens: 1_240,
        cacheReadTokens: 900,
        cacheWriteTokens: 300,
        cacheWrite1hTokens: 100,
        outputTokens: 30,
        costMicros: 40 * 1 + 900 * 0.1 + 200 * 1.25 + 100 * 2 + 30 * 5,
      });
    });

    it('Anthropic: streams thinking_delta and signature_delta, with cache usage, and takes the blocks back', async () => {
      t.anthropic.script({
        thinking: [{ text: 'The tool knows the weather.', signature: 'sig-S' }],
        toolCalls: [{ id: 'toolu_7', name: 'get_weather', arguments: { city: 'Oslo' } }],
        usage: { input: 12, output: 20, cacheRead: 500, cacheWrite5m: 64 },
      });
      const request = {
        model: 'claude-haiku-4-5',
        max_tokens: 4_000,
        thinking: { type: 'enabled' as const, budget_tokens: 2_000 },
        tools: [{ name: 'get_weather', input_schema: SCHEMA as never }],
        messages: [
          {
            role: 'user' as const,
            content: [
              { type: 'text' as const, text: 'Oslo?', cache_control: { type: 'ephemeral' as const } },
            ],
          },
        ],
      };
      const stream = anthropic.messages.stream(request);
      const events: { type: string; [k: string]: unknown }[] = [];
      for await (const event of stream) events.push(event as never);
      const final = await stream.finalMessage();
      expect(last(t.anthropic)).toMatchObject({
        stream: true,
        max_tokens: 4_000,
        thinking: { type: 'enabled', budget_tokens: 2_000 },
        messages: [{ content: [{ type: 'text', text: 'Oslo?', cache_control: { type: 'ephemeral' } }] }],
      });
      const start = events[0] as { type: string; message: { usage: Record<string, unknown> } };
      expect(start.type).toBe('message_start');
      expect(start.message.usage).toMatchObject({
        input_tokens: 12,
        cache_read_input_tokens: 500,
        cache_creation_input_tokens: 64,
      });
      const deltas = events.flatMap((e) =>
        e.type === 'content_block_delta' ? [(e.delta as { type: string }).type] : [],
      );
      expect(deltas.slice(0, deltas.indexOf('input_json_delta'))).toEqual([
        'thinking_delta',
        'thinking_delta',
        'thinking_delta',
        'signature_delta',
      ]);
      expect(events.at(-2)).toMatchObject({
        type: 'message_delta',
        usage: {
          input_tokens: 12,
          cache_read_input_tokens: 500,
          cache_creation_input_tokens: 64,
          output_tokens: 20,
        },
      });
      expect(final.content[0]).toEqual({
        type: 'thinking',
        thinking: 'The tool knows the weather.',
        signature: 'sig-S',
      });
      expect(final.content[1]).toMatchObject({
        type: 'tool_use',
        name: 'get_weather',
        input: { city: 'Oslo' },
      });
      expect(final.usage).toMatchObject({ cache_read_input_tokens: 500, cache_creation_input_tokens: 64 });

      // The next turn sends the answer back as it came: the vendor gets the signed block unchanged.
      await anthropic.messages.create({
        ...request,
        messages: [
          ...request.messages,
          { role: 'assistant', content: final.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_7', content: '3C' }] },
        ],
      } as never);
      expect(last(t.anthropic).messages[1].content[0]).toEqual({
        type: 'thinking',
        thinking: 'The tool knows the weather.',
        signature: 'sig-S',
      });
    });

    it('Anthropic: carries adaptive thinking and automatic caching, and reserves for the dearer cache write', async () => {
      await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 500,
        thinking: { type: 'adaptive', display: 'omitted' },
        cache_control: { type: 'ephemeral', ttl: '1h' },
        messages: [{ role: 'user', content: 'hi' }],
      } as never);
      expect(last(t.anthropic)).toMatchObject({
        max_tokens: 500,
        thinking: { type: 'adaptive', display: 'omitted' },
        cache_control: { type: 'ephemeral', ttl: '1h' },
      });

      const reserve = async (cache?: { type: 'ephemeral'; ttl?: '1h' }) => {
        const m = await anthropic.messages.create({
          model: 'claude-haiku-4-5',
          max_tokens: 1_000,
          system: [
            { type: 'text', text: 'A long and stable preamble.', ...(cache ? { cache_control: cache } : {}) },
          ],
          messages: [{ role: 'user', content: 'hi' }],
        });
        const reserved = (await t.events(t.account.org, 'cp.gate.budget.reserved')).find(
          (e) => e.subject === `call/${m._request_id}`,
        )!.data as { amountMicros: number };
        return reserved.amountMicros;
      };
      const plain = await reserve();
      // The same input bound at $1 per million tokens, at $1.25 for a 5-minute write, $2 for an hour.
      const bound = plain - 1_000 * 5;
      expect(await reserve({ type: 'ephemeral' })).toBe(Math.ceil(bound * 1.25) + 1_000 * 5);
      expect(await reserve({ type: 'ephemeral', ttl: '1h' })).toBe(bound * 2 + 1_000 * 5);
    });

    it('refuses, by name and provider, what a provider cannot honour', async () => {
      // n > 1 runs n calls (n-choices-wire.int.spec.ts), so one seed would repeat one answer.
      await refusedByOpenAi({ model: 'gpt-4o-mini', n: 2, seed: 1 }, 'openai', ['seed']);
      // OpenAI carries logprobs (logprobs-wire.int.spec.ts); Anthropic has no field for them.
      await refusedByOpenAi({ model: 'claude-haiku-4-5', logprobs: true, top_logprobs: 2 }, 'anthropic', [
        'logprobs',
      ]);
      await refusedByOpenAi(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', name: 'ann', content: 'hi' }] },
        'openai',
        ['messages[0].name'],
      );
      await refusedByOpenAi({ model: 'gpt-4o-mini', logit_bias: { '50256': -100 } }, 'openai', [
        'logit_bias',
      ]);
      // Model rules: the SDK model would drop these for these models, so they are refused instead.
      await refusedByOpenAi({ model: 'claude-haiku-4-5', temperature: 0.5, top_p: 0.5 }, 'anthropic', [
        'top_p',
      ]);
      await refusedByOpenAi({ model: 'o3-mini', temperature: 0.5 }, 'openai', ['temperature']);
      await refusedByOpenAi({ model: 'gemini-2.5-flash', presence_penalty: 1 }, 'gemini', [
        'presence_penalty',
      ]);
      await refusedByOpenAi({ model: 'claude-haiku-4-5', seed: 1, frequency_penalty: 1 }, 'anthropic', [
        'seed',
        'frequency_penalty',
      ]);
      await refusedByOpenAi(
        { model: 'claude-haiku-4-5', response_format: { type: 'json_object' } },
        'anthropic',
        ['response_format (json_object)'],
      );
      await refusedByOpenAi(
        {
          model: 'gemini-2.5-flash',
          user: 'u',
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'https://img.example/a.png' } }],
            },
          ],
        },
        'gemini',
        ['user', 'image_url (http URL)'],
      );
      await refusedByOpenAi(
        {
          model: 'deepseek-chat',
          response_format: { type: 'json_schema', json_schema: { name: 'c', schema: SCHEMA } },
        },
        'deepseek',
        ['response_format (json_schema)'],
      );

      const seen = t.openai.requests.length;
      const error = await anthropic.messages
        .create({
          model: 'gpt-4o-mini',
          max_tokens: 20,
          top_k: 5,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] },
          ],
        } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const message = (error as InstanceType<typeof Anthropic.BadRequestError>).error as {
        error: { message: string };
      };
      expect(message.error.message).toContain('provider "openai"');
      expect(message.error.message).toContain('"top_k"');
      expect(message.error.message).toContain('"cache_control"');
      expect(t.openai.requests.length).toBe(seen);

      // Thinking has its carrier at Anthropic only; Claude itself cannot sample or be forced to a tool while thinking.
      const thinkingRefused = async (body: Record<string, unknown>, provider: string, params: string[]) => {
        const before = [t.openai, t.anthropic].map((v) => v.requests.length);
        const e = (await anthropic.messages
          .create({ max_tokens: 4_000, messages: [{ role: 'user', content: 'hi' }], ...body } as never)
          .catch((x: unknown) => x)) as InstanceType<typeof Anthropic.BadRequestError>;
        expect(e).toBeInstanceOf(Anthropic.BadRequestError);
        const text = (e.error as { error: { message: string } }).error.message;
        expect(text).toContain(`provider "${provider}"`);
        for (const p of params) expect(text).toContain(`"${p}"`);
        expect([t.openai, t.anthropic].map((v) => v.requests.length)).toEqual(before);
      };
      const enabled = { type: 'enabled', budget_tokens: 2_000 };
      await thinkingRefused(
        {
          model: 'gpt-4o-mini',
          thinking: enabled,
          messages: [
            { role: 'user', content: 'hi' },
            {
              role: 'assistant',
              content: [
                { type: 'thinking', thinking: 't', signature: 's' },
                { type: 'text', text: 'ok' },
              ],
            },
            { role: 'user', content: 'more' },
          ],
        },
        'openai',
        ['thinking', 'thinking / redacted_thinking blocks'],
      );
      await thinkingRefused(
        {
          model: 'claude-haiku-4-5',
          thinking: enabled,
          temperature: 0.3,
          tools: [{ name: 'get_weather', input_schema: SCHEMA }],
          tool_choice: { type: 'any' },
        },
        'anthropic',
        ['temperature', 'tool_choice (any or tool)'],
      );
      await thinkingRefused(
        { model: 'claude-haiku-4-5', thinking: { ...enabled, display: 'summarized' } },
        'anthropic',
        ['thinking.display'],
      );
      // Temperature 1 is Anthropic's default, so it passes with thinking. Cast: the SDK's types no longer
      // list temperature, which the Messages API still takes.
      await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 4_000,
        temperature: 1,
        thinking: { type: 'enabled', budget_tokens: 2_000 },
        messages: [{ role: 'user', content: 'hi' }],
      } as never);
      expect(last(t.anthropic)).not.toHaveProperty('temperature');
    });

    it('lets the policy block media, and reserves a per-image bound when it is allowed', async () => {
      const image = {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'what is this?' },
          { type: 'image_url' as const, image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      };
      const plain = await openai.chat.completions
        .create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'what is this?' }] })
        .withResponse();
      const withImage = await openai.chat.completions
        .create({ model: 'gpt-4o', max_tokens: 10, messages: [image] })
        .withResponse();
      const reserved = async (id: string | null) =>
        (await t.events(t.account.org, 'cp.gate.budget.reserved')).find((e) => e.subject === `call/${id}`)!
          .data as { amountMicros: number };
      const a = await reserved(plain.response.headers.get('x-proofpane-request-id'));
      const b = await reserved(withImage.response.headers.get('x-proofpane-request-id'));
      // gpt-4o input is $2.50/MTok: 16,000 image tokens are 40,000 µUSD more than the text alone.
      expect(b.amountMicros - a.amountMicros).toBeGreaterThanOrEqual(40_000);

      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: { authorization: `Bearer ${t.key}` },
        payload: { media: 'block' },
      });
      expect(put.statusCode).toBe(200);
      const blocked = await openai.chat.completions
        .create({ model: 'gpt-4o', max_tokens: 10, messages: [image] })
        .catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((blocked as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('policy_blocked');
      const decided = (await t.events(t.account.org, 'cp.gate.policy.decided')).at(-1)!.data as {
        rulesMatched: string[];
      };
      expect(decided.rulesMatched).toContain('media');
      // Text still passes under the same policy.
      await openai.chat.completions.create({
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'text only' }],
      });
      await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: { authorization: `Bearer ${t.key}` },
        payload: {},
      });
    });

    /** The Responses API's carried parameters, as each provider received them in its own format. */
    it('Responses: carries each parameter to every provider in its own field, streamed and not', async () => {
      const FN = { type: 'function' as const, name: 'get_weather', parameters: SCHEMA, strict: null };
      const format = { type: 'json_schema' as const, name: 'city', schema: SCHEMA, strict: true };
      const all = {
        input: 'Where?',
        max_output_tokens: 64,
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning: { effort: 'low' as const },
        text: { format },
        tools: [{ ...FN, strict: true }],
        include: ['message.output_text.logprobs' as const],
        top_logprobs: 2,
      };
      t.openai.script({ text: '{"city":"Oslo"}' });
      await openai.responses.create({ model: 'gpt-4o-mini', ...all });
      const expected = {
        max_tokens: 64,
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning_effort: 'low',
        logprobs: true,
        top_logprobs: 2,
        response_format: { type: 'json_schema', json_schema: { name: 'city', strict: true } },
        tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }],
      };
      expect(last(t.openai)).toMatchObject(expected);
      // The SDK parses a json_schema answer, so the vendors answer JSON.
      t.openai.script({ text: '{"city":"Oslo"}' });
      await openai.responses.stream({ model: 'gpt-4o-mini', ...all }).finalResponse();
      expect(last(t.openai)).toMatchObject({ ...expected, stream: true });

      t.anthropic.script({ text: '{"city":"Oslo"}' });
      await openai.responses
        .stream({
          model: 'claude-haiku-4-5',
          input: 'Where?',
          max_output_tokens: 64,
          top_p: 0.5,
          user: 'end-user-7',
          parallel_tool_calls: false,
          text: { format: { type: 'json_schema', name: 'city', schema: SCHEMA } },
          tools: [FN],
        })
        .finalResponse();
      const a = last(t.anthropic);
      expect(a).toMatchObject({
        stream: true,
        max_tokens: 64,
        top_p: 0.5,
        metadata: { user_id: 'end-user-7' },
        tool_choice: { disable_parallel_tool_use: true },
        tools: [{ name: 'get_weather', input_schema: { required: ['city'] } }],
      });
      expect(JSON.stringify(a)).toContain('"required":["city"]');

      compat.script({ text: '{"city":"Oslo"}' });
      await openai.responses.create({
        model: 'llama3.1',
        ...all,
        include: undefined,
        top_logprobs: undefined,
      });
      expect(last(compat)).toMatchObject({
        model: 'llama3.1',
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning_effort: 'low',
        response_format: { type: 'json_schema', json_schema: { name: 'city' } },
        tools: [{ function: { name: 'get_weather', strict: true } }],
      });

      await openai.responses.create({
        model: 'gemini-2.0-flash',
        input: 'Where?',
        max_output_tokens: 40,
        top_p: 0.6,
        text: { format: { type: 'json_object' } },
        tools: [FN],
      });
      const g = last(gemini);
      expect(g.generationConfig).toMatchObject({
        maxOutputTokens: 40,
        topP: 0.6,
        responseMimeType: 'application/json',
      });
      expect(g.tools[0].functionDeclarations[0]).toMatchObject({ name: 'get_weather' });

      await openai.responses.create({
        model: 'deepseek-chat',
        input: 'Where?',
        max_output_tokens: 40,
        top_p: 0.6,
        user: 'user_1',
        text: { format: { type: 'json_object' } },
        tools: [FN],
      });
      expect(last(deepseek)).toMatchObject({
        top_p: 0.6,
        user_id: 'user_1',
        response_format: { type: 'json_object' },
        tools: [{ function: { name: 'get_weather' } }],
      });
    });

    it('Responses: refuses, by name and provider, what a provider cannot honour', async () => {
      const refusedByResponses = async (
        body: Record<string, unknown>,
        provider: string,
        params: string[],
      ) => {
        const seen = [t.openai, t.anthropic, compat, gemini, deepseek].map((v) => v.requests.length);
        const error = await openai.responses
          .create({ input: 'hi', max_output_tokens: 20, ...body } as never)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        const e = error as InstanceType<typeof OpenAI.BadRequestError>;
        expect(e.code).toBe('invalid_request');
        expect(e.message).toContain(`provider "${provider}"`);
        for (const p of params) expect(e.message).toContain(`"${p}"`);
        expect([t.openai, t.anthropic, compat, gemini, deepseek].map((v) => v.requests.length)).toEqual(seen);
      };
      const FN = { type: 'function', name: 'get_weather', parameters: SCHEMA, strict: true };
      const logprobs = { include: ['message.output_text.logprobs'], top_logprobs: 2 };
      await refusedByResponses(
        {
          model: 'claude-haiku-4-5',
          metadata: { team: 'search' },
          reasoning: { effort: 'low' },
          text: { format: { type: 'json_object' } },
          tools: [FN],
          ...logprobs,
        },
        'anthropic',
        [
          'metadata',
          'reasoning.effort',
          'text.format (json_object)',
          'tools[].strict',
          'include (message.output_text.logprobs)',
        ],
      );
      await refusedByResponses(
        {
          model: 'gemini-2.0-flash',
          user: 'u',
          metadata: { k: 'v' },
          parallel_tool_calls: true,
          reasoning: { effort: 'low' },
          tools: [FN],
          ...logprobs,
        },
        'gemini',
        [
          'user',
          'metadata',
          'parallel_tool_calls',
          'reasoning.effort',
          'tools[].strict',
          'include (message.output_text.logprobs)',
        ],
      );
      await refusedByResponses(
        {
          model: 'deepseek-chat',
          metadata: { k: 'v' },
          parallel_tool_calls: true,
          reasoning: { effort: 'low' },
          text: { format: { type: 'json_schema', name: 'city', schema: SCHEMA } },
          tools: [FN],
          ...logprobs,
        },
        'deepseek',
        [
          'metadata',
          'parallel_tool_calls',
          'reasoning.effort',
          'text.format (json_schema)',
          'tools[].strict',
          'include (message.output_text.logprobs)',
        ],
      );
      await refusedByResponses({ model: 'llama3.1', ...logprobs }, 'openai-compatible', [
        'include (message.output_text.logprobs)',
      ]);
      await refusedByResponses({ model: 'demo', ...logprobs }, 'demo', [
        'include (message.output_text.logprobs)',
      ]);
      await refusedByResponses({ model: 'gpt-4o-mini', store: true, service_tier: 'flex' }, 'openai', [
        'store',
        'service_tier',
      ]);
    });

    it('lists the configured providers’ models for both SDKs', async () => {
      await t.app.inject({
        method: 'PUT',
        url: '/api/budget/prices',
        headers: { authorization: `Bearer ${t.key}` },
        payload: {
          models: { 'openai-compatible/llama3.1': { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.2 } },
        },
      });
      const ids: string[] = [];
      for await (const m of openai.models.list()) ids.push(m.id);
      expect(ids).toContain('demo');
      expect(ids).toContain('openai/gpt-4o-mini');
      expect(ids.some((id) => id.startsWith('anthropic/claude-'))).toBe(true);
      expect(ids.some((id) => id.startsWith('gemini/'))).toBe(true);
      expect(ids.some((id) => id.startsWith('deepseek/'))).toBe(true);
      expect(ids).toContain('openai-compatible/llama3.1');
      const viaAnthropic: string[] = [];
      for await (const m of anthropic.models.list()) viaAnthropic.push(m.id);
      expect(viaAnthropic).toEqual(ids);
    });
  });
}
