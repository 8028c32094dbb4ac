import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../commands/src/testing/index.js';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

type ApiError = InstanceType<typeof OpenAI.APIError>;

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: true,
};

for (const driver of testDrivers) {
  describe(`POST /v1/responses through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const subject = (id: string | null | undefined) =>
      t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('answers a response object on the governed chat path, masked upstream and restored, audited', async () => {
      t.openai.script({ text: 'Writing to [EMAIL_1].', usage: { input: 21, output: 6 } });
      const { data, response } = await client.responses
        .create({
          model: 'gpt-4o-mini',
          instructions: 'Be brief.',
          input: 'Email jane.doe@example.com please',
          max_output_tokens: 64,
        })
        .withResponse();
      expect(data).toMatchObject({
        object: 'response',
        status: 'completed',
        model: 'gpt-4o-mini',
        instructions: 'Be brief.',
        max_output_tokens: 64,
        output: [
          {
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: 'Writing to jane.doe@example.com.', annotations: [] }],
          },
        ],
        usage: { input_tokens: 21, output_tokens: 6, total_tokens: 27 },
      });
      expect(data.id).toMatch(/^resp_/);
      expect(data.output_text).toBe('Writing to jane.doe@example.com.');
      // The fakes record the path too; the harness's Upstream type leaves it out.
      const upstream = t.openai.requests.at(-1)! as RecordedRequest;
      expect(upstream.path).toBe('/v1/chat/completions');
      expect(upstream.body).toMatchObject({
        max_tokens: 64,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Email [EMAIL_1] please' },
        ],
      });
      const id = response.headers.get('x-proofpane-request-id');
      const events = await subject(id);
      expect(events.map((e) => e.type)).toEqual([
        'cp.gate.policy.decided',
        'cp.gate.budget.reserved',
        'cp.llm.call.completed',
        'cp.gate.budget.settled',
      ]);
      // 21 × 0.15 + 6 × 0.6 µUSD, rounded up.
      expect(events[2]!.data).toMatchObject({
        route: 'openai.responses',
        inputTokens: 21,
        outputTokens: 6,
        costMicros: 7,
        stream: false,
      });
    });

    it('maps function_call items and their outputs back to a tool turn, and returns function calls', async () => {
      t.openai.script({ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }] });
      const res = await client.responses.create({
        model: 'gpt-4o-mini',
        tools: [WEATHER],
        tool_choice: { type: 'function', name: 'get_weather' },
        input: [
          { role: 'user', content: 'Weather in Oslo?' },
          { type: 'function_call', call_id: 'call_o', name: 'get_weather', arguments: '{"city":"Oslo"}' },
          { type: 'function_call_output', call_id: 'call_o', output: '4°C' },
          { role: 'user', content: [{ type: 'input_text', text: 'And Paris?' }] },
        ],
      });
      expect(res.output).toEqual([
        {
          type: 'function_call',
          id: 'fc_call_w',
          call_id: 'call_w',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
          status: 'completed',
        },
      ]);
      const body = t.openai.requests.at(-1)!.body;
      expect(body.tool_choice).toMatchObject({ function: { name: 'get_weather' } });
      expect(body.tools).toMatchObject([{ type: 'function', function: { name: 'get_weather' } }]);
      expect(body.messages).toMatchObject([
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', tool_calls: [{ id: 'call_o', function: { name: 'get_weather' } }] },
        { role: 'tool', tool_call_id: 'call_o', content: '4°C' },
        { role: 'user', content: 'And Paris?' },
      ]);
    });

    it("streams the vendor's event sequence for text, restoring a placeholder split across chunks", async () => {
      t.openai.script({ text: 'Mail sent to [EMAIL_1], done.', chunks: 7, usage: { input: 11, output: 8 } });
      const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'Send it to bob@example.org' });
      const types: string[] = [];
      let text = '';
      stream.on('event', (e) => types.push(e.type));
      stream.on('response.output_text.delta', (e) => {
        text += e.delta;
      });
      const final = await stream.finalResponse();
      expect(text).toBe('Mail sent to bob@example.org, done.');
      expect(final.output_text).toBe('Mail sent to bob@example.org, done.');
      expect(final.usage).toMatchObject({ input_tokens: 11, output_tokens: 8 });
      const deltas = types.filter((x) => x === 'response.output_text.delta').length;
      expect(deltas).toBeGreaterThan(1);
      expect(types.filter((x) => x !== 'response.output_text.delta')).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(JSON.stringify(t.openai.requests.at(-1)!.body)).not.toContain('bob@example.org');
      const last = (await t.events(t.account.org, 'cp.llm.call.completed')).at(-1)!;
      expect(last.data).toMatchObject({ route: 'openai.responses', stream: true, outputTokens: 8 });
    });

    it('streams a function call as argument deltas the SDK assembles', async () => {
      t.openai.script({
        toolCalls: [{ id: 'call_s', name: 'get_weather', arguments: { city: 'Oslo' } }],
        chunks: 4,
      });
      const stream = client.responses.stream({ model: 'gpt-4o-mini', tools: [WEATHER], input: 'Oslo?' });
      const types: string[] = [];
      stream.on('event', (e) => types.push(e.type));
      const final = await stream.finalResponse();
      expect(final.output).toMatchObject([
        { type: 'function_call', call_id: 'call_s', name: 'get_weather', status: 'completed' },
      ]);
      const call = final.output[0]!;
      expect(call.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Oslo' });
      expect(types.filter((x) => x === 'response.function_call_arguments.delta').length).toBeGreaterThan(1);
      expect(types.slice(-3)).toEqual([
        'response.function_call_arguments.done',
        'response.output_item.done',
        'response.completed',
      ]);
    });

    it('serves the demo provider offline, streamed and not', async () => {
      const before = t.openai.requests.length;
      const res = await client.responses.create({ model: 'demo', input: 'hello' });
      expect(res.output_text).toMatch(/^\[demo\]/);
      const streamed = await client.responses.stream({ model: 'demo', input: 'hello' }).finalResponse();
      expect(streamed.output_text).toBe(res.output_text);
      expect(t.openai.requests.length).toBe(before);
    });

    it('refuses in the OpenAI shape: previous_response_id, and a model the policy blocks', async () => {
      const previous = (await client.responses
        .create({ model: 'demo', input: 'hi', previous_response_id: 'resp_1' })
        .catch((e: unknown) => e)) as ApiError;
      expect(previous.status).toBe(400);
      expect(previous.code).toBe('invalid_request');
      expect(previous.message).toContain('previous_response_id');

      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(t.key),
        payload: { models: ['gpt-4o-mini', 'demo'] },
      });
      expect(put.statusCode).toBe(200);
      const before = t.openai.requests.length;
      const error = (await client.responses
        .create({ model: 'gpt-4.1', input: 'hi', stream: true })
        .catch((e: unknown) => e)) as ApiError;
      expect(error.status).toBe(403);
      expect(error.code).toBe('policy_blocked');
      expect(t.openai.requests.length).toBe(before);
      const [decided] = await subject(error.headers?.get('x-proofpane-request-id'));
      expect(decided?.data).toMatchObject({ decision: 'block', route: 'openai.responses' });
    });
  });
}
