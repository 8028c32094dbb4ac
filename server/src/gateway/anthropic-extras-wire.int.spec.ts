import Anthropic from '@anthropic-ai/sdk';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

const betasOf = (headers: Record<string, string | string[] | undefined>) =>
  String(headers['anthropic-beta'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

for (const driver of testDrivers) {
  describe(`anthropic-beta, output_config and context_management through @anthropic-ai/sdk on ${driver}`, () => {
    let t: GatewayTestApp;
    let client: Anthropic;
    const base = { model: 'claude-haiku-4-5', max_tokens: 64 };
    const hi = [{ role: 'user' as const, content: 'hi' }];
    const refusal = async (send: () => Promise<unknown>) => {
      const seen = [t.openai.requests.length, t.anthropic.requests.length];
      const error = await send().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect([t.openai.requests.length, t.anthropic.requests.length]).toEqual(seen);
      // The SDK's own message is the JSON body; the gateway's sentence is inside it.
      const body = (error as InstanceType<typeof Anthropic.BadRequestError>).error as {
        error: { message: string };
      };
      return body.error.message;
    };
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      client = new Anthropic({ apiKey: t.key, baseURL: t.url, maxRetries: 0 });
    });
    afterAll(() => t.close());

    it('passes allowed betas to Anthropic in its anthropic-beta header, streamed and not', async () => {
      t.anthropic.script({ text: 'beta ok' });
      const message = await client.beta.messages.create({
        ...base,
        betas: ['interleaved-thinking-2025-05-14', 'claude-code-20250219'],
        messages: hi,
      });
      expect(message.content[0]).toMatchObject({ type: 'text', text: 'beta ok' });
      expect(betasOf(t.anthropic.requests.at(-1)!.headers)).toEqual(
        expect.arrayContaining(['interleaved-thinking-2025-05-14', 'claude-code-20250219']),
      );

      t.anthropic.script({ text: 'streamed' });
      const stream = client.beta.messages.stream({
        ...base,
        betas: ['fine-grained-tool-streaming-2025-05-14'],
        messages: hi,
      });
      expect((await stream.finalMessage()).content[0]).toMatchObject({ text: 'streamed' });
      expect(betasOf(t.anthropic.requests.at(-1)!.headers)).toContain(
        'fine-grained-tool-streaming-2025-05-14',
      );
    });

    it('sends no anthropic-beta header when the caller sent none', async () => {
      t.anthropic.script({ text: 'plain' });
      await client.messages.create({ ...base, messages: hi });
      expect(t.anthropic.requests.at(-1)!.headers).not.toHaveProperty('anthropic-beta');
    });

    it('refuses a beta outside the allow-list by name, and any beta for a provider other than Anthropic', async () => {
      const outside = await refusal(() =>
        client.beta.messages.create({ ...base, betas: ['context-1m-2025-08-07'], messages: hi }),
      );
      expect(outside).toContain('"anthropic-beta context-1m-2025-08-07 (not in the gateway\'s allow-list)"');
      const elsewhere = await refusal(() =>
        client.beta.messages.create({
          ...base,
          model: 'gpt-4o-mini',
          betas: ['interleaved-thinking-2025-05-14'],
          messages: hi,
        }),
      );
      expect(elsewhere).toContain('provider "openai" cannot honour "anthropic-beta"');
    });

    it('carries output_config.effort and format, and context_management edits, to Anthropic', async () => {
      t.anthropic.script({ text: '{"city":"Oslo"}' });
      await client.messages.create({
        ...base,
        model: 'claude-opus-4-5',
        messages: hi,
        output_config: {
          effort: 'low',
          format: {
            type: 'json_schema',
            schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
        context_management: {
          edits: [
            {
              type: 'clear_tool_uses_20250919',
              trigger: { type: 'input_tokens', value: 30_000 },
              keep: { type: 'tool_uses', value: 3 },
              exclude_tools: ['memory'],
            },
          ],
        },
      } as never);
      const upstream = t.anthropic.requests.at(-1)!;
      expect(upstream.body.output_config).toMatchObject({
        effort: 'low',
        format: { type: 'json_schema', schema: { properties: { city: { type: 'string' } } } },
      });
      expect(upstream.body.context_management).toEqual({
        edits: [
          {
            type: 'clear_tool_uses_20250919',
            trigger: { type: 'input_tokens', value: 30_000 },
            keep: { type: 'tool_uses', value: 3 },
            exclude_tools: ['memory'],
          },
        ],
      });
      expect(betasOf(upstream.headers)).toContain('context-management-2025-06-27');
    });

    it('returns the context edits Anthropic applied, in context_management.applied_edits, streamed and not', async () => {
      const context_management = {
        edits: [
          { type: 'clear_tool_uses_20250919', keep: { type: 'tool_uses', value: 1 } },
          { type: 'clear_thinking_20251015', keep: 'all' },
        ],
      };
      const applied = [
        { type: 'clear_tool_uses_20250919', cleared_tool_uses: 1, cleared_input_tokens: 340 },
        { type: 'clear_thinking_20251015', cleared_thinking_turns: 1, cleared_input_tokens: 120 },
      ];
      t.anthropic.script({ text: 'edited' });
      const message = await client.messages.create({ ...base, messages: hi, context_management } as never);
      expect((message as unknown as Record<string, unknown>).context_management).toEqual({
        applied_edits: applied,
      });
      t.anthropic.script({ text: 'edited too' });
      const stream = client.messages.stream({ ...base, messages: hi, context_management } as never);
      const deltas: unknown[] = [];
      stream.on('streamEvent', (e) => {
        if (e.type === 'message_delta')
          deltas.push((e as unknown as Record<string, unknown>).context_management);
      });
      expect((await stream.finalMessage()).content[0]).toMatchObject({ text: 'edited too' });
      expect(deltas).toEqual([{ applied_edits: applied }]);
      // Without edits asked for, the answer has no context_management.
      t.anthropic.script({ text: 'plain' });
      const plain = await client.messages.create({ ...base, messages: hi });
      expect(plain).not.toHaveProperty('context_management');
    });

    it('refuses by name what cannot be honoured: compaction, task budgets, effort elsewhere', async () => {
      const compact = await refusal(() =>
        client.messages.create({
          ...base,
          messages: hi,
          context_management: { edits: [{ type: 'compact_20260112' }] },
        } as never),
      );
      expect(compact).toContain('"context_management.edits[0].type=compact_20260112"');
      const budget = await refusal(() =>
        client.messages.create({
          ...base,
          messages: hi,
          output_config: { task_budget: { type: 'tokens', total: 1000 } },
        } as never),
      );
      expect(budget).toContain('"output_config.task_budget"');
      const effort = await refusal(() =>
        client.messages.create({
          ...base,
          model: 'gemini-2.0-flash',
          messages: hi,
          output_config: { effort: 'high' },
        } as never),
      );
      expect(effort).toContain('"output_config.effort"');
    });
  });
}
