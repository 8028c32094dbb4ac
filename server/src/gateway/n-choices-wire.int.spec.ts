import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

for (const driver of testDrivers) {
  describe(`n > 1 on Chat Completions through the openai SDK on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: OpenAI;
    const subject = (id: string | null) =>
      t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
    const ask = (extra: Record<string, unknown> = {}) =>
      client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          max_tokens: 40,
          messages: [{ role: 'user', content: 'Name a colour for jane.doe@example.com' }],
          ...extra,
        } as never)
        .withResponse() as unknown as Promise<{ data: OpenAI.ChatCompletion; response: Response }>;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('answers n choices, indexed 0..n-1, from n calls of one choice each, restored and counted', async () => {
      t.openai.script(
        { text: 'Red for [EMAIL_1].', usage: { input: 20, output: 5 } },
        { text: 'Green.', usage: { input: 20, output: 3 } },
        { text: 'Blue.', usage: { input: 20, output: 4 } },
      );
      const before = t.openai.requests.length;
      const { data, response } = await ask({ n: 3 });
      const upstream = t.openai.requests.slice(before);
      expect(upstream).toHaveLength(3);
      for (const r of upstream) expect(r.body).not.toHaveProperty('n');
      expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2]);
      expect(data.choices.map((c) => c.message.content).sort()).toEqual(
        ['Blue.', 'Green.', 'Red for jane.doe@example.com.'].sort(),
      );
      expect(data.choices.every((c) => c.finish_reason === 'stop')).toBe(true);
      expect(data.usage).toMatchObject({ prompt_tokens: 60, completion_tokens: 12, total_tokens: 72 });

      const events = await subject(response.headers.get('x-proofpane-request-id'));
      expect(events.map((e) => e.type)).toEqual([
        'cp.gate.policy.decided',
        'cp.gate.budget.reserved',
        'cp.llm.call.completed',
        'cp.gate.budget.settled',
      ]);
      const completed = events.find((e) => e.type === 'cp.llm.call.completed')!;
      // gpt-4o-mini: $0.15 in, $0.60 out per million tokens; every choice's tokens are billed.
      expect(completed.data).toMatchObject({
        choices: 3,
        inputTokens: 60,
        outputTokens: 12,
        costMicros: Math.ceil((60 * 150_000 + 12 * 600_000) / 1_000_000),
      });
      expect(JSON.stringify(completed)).not.toContain('jane.doe');
    });

    it('reserves the worst case of every choice', async () => {
      const reservedFor = async (n: number) => {
        t.openai.script(...Array.from({ length: n }, () => ({ text: 'ok', usage: { input: 5, output: 1 } })));
        const { response } = await ask(n > 1 ? { n } : {});
        const events = await subject(response.headers.get('x-proofpane-request-id'));
        const reserved = events.find((e) => e.type === 'cp.gate.budget.reserved')!.data as {
          amountMicros: number;
        };
        const completed = events.find((e) => e.type === 'cp.llm.call.completed')!.data;
        return { amount: reserved.amountMicros, completed };
      };
      const one = await reservedFor(1);
      const four = await reservedFor(4);
      expect(one.completed).not.toHaveProperty('choices');
      expect(four.completed).toMatchObject({ choices: 4 });
      // Each choice may bill its whole input bound and max_tokens; rounding up happens once.
      expect(four.amount).toBeGreaterThanOrEqual(4 * one.amount - 4);
      expect(four.amount).toBeLessThanOrEqual(4 * one.amount);
    });

    it('fails the whole call when one choice fails, keeping the reservation spent for the answered ones', async () => {
      t.openai.script({ text: 'fine', usage: { input: 5, output: 1 } }, { status: 400 });
      const error = await ask({ n: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      const id = (error as InstanceType<typeof OpenAI.APIError>).requestID;
      const events = await subject(id ?? null);
      const reserved = events.find((e) => e.type === 'cp.gate.budget.reserved')!.data as {
        amountMicros: number;
      };
      const settled = events.find((e) => e.type === 'cp.gate.budget.settled')!.data as {
        actualMicros: number;
      };
      expect(events.map((e) => e.type)).toContain('cp.llm.call.failed');
      expect(reserved.amountMicros).toBeGreaterThan(0);
      expect(settled.actualMicros).toBe(reserved.amountMicros);
    });

    it('streams n choices interleaved, each with its index, restored, ended and counted', async () => {
      t.openai.script(
        { text: 'Red for [EMAIL_1], yes.', chunks: 6, usage: { input: 20, output: 6 } },
        { text: 'Green for [EMAIL_1].', chunks: 5, usage: { input: 20, output: 5 } },
      );
      const { data: stream, response } = await client.chat.completions
        .create({
          model: 'gpt-4o-mini',
          max_tokens: 40,
          n: 2,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'Name a colour for jane.doe@example.com' }],
        })
        .withResponse();
      const texts = ['', ''];
      const finishes: (string | null)[] = [null, null];
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        for (const c of chunk.choices) {
          texts[c.index] += c.delta.content ?? '';
          if (c.finish_reason) finishes[c.index] = c.finish_reason;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      expect(texts.sort()).toEqual(['Green for jane.doe@example.com.', 'Red for jane.doe@example.com, yes.']);
      expect(finishes).toEqual(['stop', 'stop']);
      expect(usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 11 });
      const events = await subject(response.headers.get('x-proofpane-request-id'));
      expect(events.find((e) => e.type === 'cp.llm.call.completed')!.data).toMatchObject({
        stream: true,
        choices: 2,
        inputTokens: 40,
        outputTokens: 11,
      });
    });

    it('lets the SDK assemble streamed choices into one completion', async () => {
      t.openai.script(
        { text: 'One.', usage: { input: 5, output: 1 } },
        { text: 'Two.', usage: { input: 5, output: 1 } },
      );
      const final = await client.chat.completions
        .stream({ model: 'gpt-4o-mini', max_tokens: 10, n: 2, messages: [{ role: 'user', content: 'hi' }] })
        .finalChatCompletion();
      expect(final.choices.map((c) => c.index)).toEqual([0, 1]);
      expect(final.choices.map((c) => c.message.content).sort()).toEqual(['One.', 'Two.']);
    });

    it('refuses n > 1 with a seed by name before any vendor call; n: 1 is a plain call', async () => {
      const before = t.openai.requests.length;
      const error = await ask({ n: 2, seed: 7 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as Error).message).toContain('provider "openai" cannot honour "seed"');
      expect(t.openai.requests.length).toBe(before);
      t.openai.script({ text: 'single' });
      const { data } = await ask({ n: 1 });
      expect(data.choices).toHaveLength(1);
    });
  });
}
