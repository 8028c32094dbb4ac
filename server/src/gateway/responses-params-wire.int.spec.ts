import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};
const WEATHER = { type: 'function' as const, name: 'get_weather', parameters: SCHEMA, strict: true };

// Recorded vendor bodies are arbitrary JSON; the assertions below name the fields they expect.
// biome-ignore lint/suspicious/noExplicitAny: a vendor body is walked field by field in the assertions
type Loose = Record<string, any>;

for (const driver of testDrivers) {
  describe(`/v1/responses parameters, carried or refused by name, through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const last = (v: GatewayTestApp['openai']) => v.requests.at(-1)!.body as Loose;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    /** 400 invalid_request naming each parameter and the provider; no vendor saw the call. */
    async function refused(body: Record<string, unknown>, provider: string, params: string[]) {
      const seen = [t.openai.requests.length, t.anthropic.requests.length];
      const error = await client.responses
        .create({ model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 20, ...body } as never)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const e = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(e.code).toBe('invalid_request');
      expect(e.message).toContain(`provider "${provider}"`);
      for (const p of params) expect(e.message).toContain(`"${p}"`);
      expect(e.requestID).toMatch(/^req_/);
      expect([t.openai.requests.length, t.anthropic.requests.length]).toEqual(seen);
    }

    it('carries top_p, user, metadata, parallel_tool_calls, reasoning.effort, text.format and tools[].strict to OpenAI', async () => {
      t.openai.script({ text: '{"city":"Paris"}' });
      const response = await client.responses.create({
        model: 'gpt-4o-mini',
        input: 'Where?',
        max_output_tokens: 64,
        temperature: 0.3,
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning: { effort: 'low' },
        text: { format: { type: 'json_schema', name: 'city', schema: SCHEMA, strict: true } },
        tools: [WEATHER],
        // What the gateway does anyway passes: it keeps nothing, never truncates, answers in the foreground.
        store: false,
        truncation: 'disabled',
        background: false,
      });
      const body = last(t.openai);
      expect(body).toMatchObject({
        max_tokens: 64,
        temperature: 0.3,
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning_effort: 'low',
        response_format: { type: 'json_schema', json_schema: { name: 'city', strict: true } },
        tools: [{ type: 'function', function: { name: 'get_weather', strict: true } }],
      });
      expect(body.response_format.json_schema.schema).toMatchObject({ required: ['city'] });
      for (const key of ['store', 'truncation', 'background', 'text', 'reasoning'])
        expect(body).not.toHaveProperty(key);
      // The response object states the parameters it was answered with.
      expect(response).toMatchObject({
        top_p: 0.9,
        user: 'end-user-7',
        metadata: { team: 'search' },
        parallel_tool_calls: false,
        reasoning: { effort: 'low' },
        text: { format: { type: 'json_schema', name: 'city' } },
        store: false,
      });
      expect(response.output_text).toBe('{"city":"Paris"}');
    });

    it('carries text.format json_object, and the parameters of a stream', async () => {
      t.openai.script({ text: '{}' });
      await client.responses.create({
        model: 'gpt-4o-mini',
        input: 'JSON please',
        text: { format: { type: 'json_object' } },
      });
      expect(last(t.openai).response_format).toEqual({ type: 'json_object' });

      t.openai.script({ text: 'Streamed answer.', chunks: 3 });
      const final = await client.responses
        .stream({
          model: 'gpt-4o-mini',
          input: 'hi',
          top_p: 0.5,
          user: 'u2',
          metadata: { k: 'v' },
          reasoning: { effort: 'minimal' },
          stream_options: { include_obfuscation: false },
        })
        .finalResponse();
      expect(final.output_text).toBe('Streamed answer.');
      expect(last(t.openai)).toMatchObject({
        stream: true,
        top_p: 0.5,
        user: 'u2',
        metadata: { k: 'v' },
        reasoning_effort: 'minimal',
      });
    });

    it('carries to Anthropic what it has a field for: user as metadata.user_id, top_p, parallel_tool_calls', async () => {
      await client.responses.create({
        model: 'claude-haiku-4-5',
        input: 'Where?',
        max_output_tokens: 50,
        user: 'end-user-7',
        top_p: 0.5,
        parallel_tool_calls: false,
        tools: [{ type: 'function', name: 'get_weather', parameters: SCHEMA, strict: null }],
        text: { format: { type: 'json_schema', name: 'city', schema: SCHEMA } },
      });
      const body = last(t.anthropic);
      expect(body).toMatchObject({
        metadata: { user_id: 'end-user-7' },
        top_p: 0.5,
        tool_choice: { disable_parallel_tool_use: true },
      });
      expect(JSON.stringify(body)).toContain('"required":["city"]');
    });

    it('refuses by name what the provider cannot honour', async () => {
      await refused(
        {
          model: 'claude-haiku-4-5',
          metadata: { team: 'search' },
          reasoning: { effort: 'low' },
          text: { format: { type: 'json_object' } },
          tools: [WEATHER],
        },
        'anthropic',
        ['metadata', 'reasoning.effort', 'text.format (json_object)', 'tools[].strict'],
      );
      await refused({ model: 'claude-haiku-4-5', temperature: 0.5, top_p: 0.5 }, 'anthropic', ['top_p']);
      // OpenAI's reasoning models drop sampling parameters unless reasoning is off.
      await refused({ model: 'o3-mini', top_p: 0.5 }, 'openai', ['top_p']);
    });

    it('refuses by name the parameters no provider carries through the gateway', async () => {
      await refused(
        {
          store: true,
          background: true,
          truncation: 'auto',
          service_tier: 'flex',
          max_tool_calls: 3,
          prompt_cache_key: 'k',
          prompt_cache_retention: '24h',
          safety_identifier: 's',
          conversation: 'conv_1',
          prompt: { id: 'pmpt_1' },
          text: { verbosity: 'low' },
          reasoning: { effort: 'max', summary: 'auto' },
          stream_options: { include_obfuscation: true },
        },
        'openai',
        [
          'store',
          'background',
          'truncation (auto)',
          'service_tier',
          'max_tool_calls',
          'prompt_cache_key',
          'prompt_cache_retention',
          'safety_identifier',
          'conversation',
          'prompt',
          'text.verbosity',
          'reasoning.effort (max)',
          'reasoning.summary',
          'stream_options.include_obfuscation',
        ],
      );
      await refused({ model: 'demo', previous_response_id: 'resp_1' }, 'demo', [
        'previous_response_id (no response is kept: send the whole conversation in input)',
      ]);
    });

    it('refuses an unknown field by name, and takes a null one as absent', async () => {
      await refused({ frobnicate: 1, reasoning: { depth: 2 }, text: { shout: true } }, 'openai', [
        'frobnicate',
        'reasoning.depth',
        'text.shout',
      ]);
      t.openai.script({ text: 'ok' });
      const response = await client.responses.create({
        model: 'gpt-4o-mini',
        input: 'hi',
        frobnicate: null,
        service_tier: null,
      } as never);
      expect(response.output_text).toBe('ok');
      expect(last(t.openai)).not.toHaveProperty('frobnicate');
    });
  });
}
