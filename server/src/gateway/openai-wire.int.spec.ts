import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGatewayTestApp,
  type GatewayTestApp,
  PLATFORM_OPENAI_KEY,
} from './testing/gateway-test-app.js';

const WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

for (const driver of testDrivers) {
  describe(`POST /v1/chat/completions through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('answers a plain call, masks personal data upstream and restores it, with headers and audit', async () => {
      t.openai.script({ text: 'I will write to [EMAIL_1] today.', usage: { input: 20, output: 9 } });
      const { data, response } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'Please email jane.doe@example.com about the invoice.' }],
        })
        .withResponse();
      expect(data.choices[0]!.message.content).toBe('I will write to jane.doe@example.com today.');
      expect(data.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 9 });
      const upstream = t.openai.requests.at(-1)!;
      expect(JSON.stringify(upstream.body)).not.toContain('jane.doe@example.com');
      expect(JSON.stringify(upstream.body)).toContain('[EMAIL_1]');
      expect(upstream.headers.authorization).toBe(`Bearer ${PLATFORM_OPENAI_KEY}`);
      const requestId = response.headers.get('x-proofpane-request-id')!;
      expect(requestId).toMatch(/^req_/);
      expect(response.headers.get('server-timing')).toMatch(
        /policy;dur=.*budget;dur=.*provider;dur=.*audit;dur=.*total;dur=/,
      );
      const completed = (await t.events(t.account.org, 'cp.llm.call.completed')).find(
        (e) => e.subject === `call/${requestId}`,
      );
      expect(completed?.data).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o-mini',
        inputTokens: 20,
        outputTokens: 9,
        demo: false,
        capsuleId: null,
      });
      expect(JSON.stringify(completed)).not.toContain('jane.doe');
      const decided = (
        await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${requestId}` })
      ).map((e) => e.type);
      expect(decided).toEqual([
        'cp.gate.policy.decided',
        'cp.gate.budget.reserved',
        'cp.llm.call.completed',
        'cp.gate.budget.settled',
      ]);
    });

    it('streams text chunk by chunk and restores a placeholder split across chunks', async () => {
      t.openai.script({ text: 'Mail sent to [EMAIL_1], done.', chunks: 7, usage: { input: 11, output: 8 } });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'Send it to bob@example.org' }],
      });
      let text = '';
      let pieces = 0;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta.content;
        if (piece) {
          text += piece;
          pieces += 1;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('Mail sent to bob@example.org, done.');
      expect(pieces).toBeGreaterThan(1);
      expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 8 });
      expect(JSON.stringify(t.openai.requests.at(-1)!.body)).not.toContain('bob@example.org');
      const last = (await t.events(t.account.org, 'cp.llm.call.completed')).at(-1)!;
      expect(last.data).toMatchObject({ stream: true, outputTokens: 8 });
    });

    it('passes tools and tool_choice through and returns tool calls, streamed too', async () => {
      t.openai.script({ toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }] });
      const done = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        tools: [WEATHER],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      const call = done.choices[0]!.message.tool_calls![0]!;
      expect(done.choices[0]!.finish_reason).toBe('tool_calls');
      expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
      expect(t.openai.requests.at(-1)!.body.tool_choice).toMatchObject({ function: { name: 'get_weather' } });

      t.openai.script({
        toolCalls: [{ id: 'call_s', name: 'get_weather', arguments: { city: 'Oslo' } }],
        chunks: 4,
      });
      const stream = client.chat.completions.stream({
        model: 'gpt-4o-mini',
        max_tokens: 50,
        tools: [WEATHER],
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      });
      const final = await stream.finalChatCompletion();
      const streamed = final.choices[0]!.message.tool_calls![0]!;
      expect(streamed.type === 'function' && streamed.function.name).toBe('get_weather');
      expect(streamed.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual({
        city: 'Oslo',
      });
    });

    it('retries a 500 and a 429, auditing each failed attempt', async () => {
      t.openai.script({ status: 500 }, { status: 429 }, { text: 'third time lucky' });
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      expect(data.choices[0]!.message.content).toBe('third time lucky');
      const id = response.headers.get('x-proofpane-request-id')!;
      const subject = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      const failures = subject.filter((e) => e.type === 'cp.llm.attempt.failed').map((e) => e.data);
      expect(failures).toMatchObject([
        { attempt: 1, status: 500 },
        { attempt: 2, status: 429 },
      ]);
      expect(subject.find((e) => e.type === 'cp.llm.call.completed')?.data).toMatchObject({ attempts: 3 });
    });

    it('answers provider_error (502) after the retries run out, audited and settled to zero', async () => {
      t.openai.script({ status: 500 }, { status: 500 }, { status: 500 });
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const e = error as InstanceType<typeof OpenAI.APIError>;
      expect(e.status).toBe(502);
      expect(e.code).toBe('provider_error');
      const id = e.headers?.get('x-proofpane-request-id');
      const subject = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(subject.find((x) => x.type === 'cp.llm.call.failed')?.data).toMatchObject({
        code: 'provider_error',
        attempts: 3,
      });
      expect(subject.find((x) => x.type === 'cp.gate.budget.settled')?.data).toMatchObject({
        actualMicros: 0,
      });
    });

    it('refuses a malformed body with invalid_request (400), audited', async () => {
      const error = (await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(400);
      expect(error.code).toBe('invalid_request');
      const id = error.headers?.get('x-proofpane-request-id');
      expect(error.headers?.get('server-timing')).toMatch(/total;dur=/);
      const failed = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(failed.map((x) => [x.type, (x.data as { code?: string }).code])).toEqual([
        ['cp.llm.call.failed', 'invalid_request'],
      ]);
    });

    it('serves the offline demo provider without any key, labelled demo', async () => {
      const res = await client.chat.completions.create({
        model: 'demo',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(res.choices[0]!.message.content).toMatch(/^\[demo\]/);
      const last = (await t.events(t.account.org, 'cp.llm.call.completed')).at(-1)!;
      expect(last.data).toMatchObject({ provider: 'demo', model: 'demo', demo: true });
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain('demo');
    });

    it('flags a call costing far more than the recent average as a cost anomaly', async () => {
      for (let i = 0; i < 5; i++) {
        t.openai.script({ text: 'small', usage: { input: 10, output: 5 } });
        await client.chat.completions.create({
          model: 'gpt-4o-mini',
          max_tokens: 60_000,
          messages: [{ role: 'user', content: 'hi' }],
        });
      }
      // Within the request's limits (max_tokens 60,000), so it is charged in full: 20 × 0.15 + 50,000 × 0.6 µUSD.
      t.openai.script({ text: 'huge', usage: { input: 20, output: 50_000 } });
      const { response } = await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 60_000, messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      const id = response.headers.get('x-proofpane-request-id');
      const subject = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      const anomaly = subject.find((e) => e.type === 'cp.cost.anomaly.detected');
      expect(anomaly?.data).toMatchObject({ costMicros: 30_003, factor: 5, model: 'openai/gpt-4o-mini' });
      expect(subject.find((e) => e.type === 'cp.llm.call.completed')?.data).toMatchObject({
        costMicros: 30_003,
      });
    });

    it('rejects a missing or unknown key with 401 in the OpenAI error shape', async () => {
      const anonymous = new OpenAI({ apiKey: 'pp_not_a_real_key', baseURL: `${t.url}/v1`, maxRetries: 0 });
      const error = (await anonymous.chat.completions
        .create({ model: 'demo', messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(401);
      expect(error.code).toBe('unauthenticated');
    });
  });
}
