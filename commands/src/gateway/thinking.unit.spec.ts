import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatDelta } from '../providers/index.js';
import { completionSha256, createThinkingRestorer, restoredReasoning } from './thinking.js';

const vault = { '[EMAIL_1]': 'ann@example.net' };

describe('thinking is completion text', () => {
  it('is restored for the caller like the answer, encrypted blocks untouched', () => {
    expect(
      restoredReasoning(
        [
          { type: 'thinking', text: 'Write to [EMAIL_1].', signature: 'sig' },
          { type: 'redacted-thinking', data: '[EMAIL_1]' },
        ],
        vault,
      ),
    ).toEqual([
      { type: 'thinking', text: 'Write to ann@example.net.', signature: 'sig' },
      { type: 'redacted-thinking', data: '[EMAIL_1]' },
    ]);
  });

  it('is hashed with the completion, which hashes as before when there is none', () => {
    const toolCalls = [{ id: 't', name: 'ls', arguments: '{}' }];
    expect(completionSha256({ text: 'hi', toolCalls })).toBe(
      hash('sha256', JSON.stringify(['hi', toolCalls]), 'hex'),
    );
    expect(completionSha256({ text: 'hi', toolCalls, reasoning: [] })).toBe(
      completionSha256({ text: 'hi', toolCalls }),
    );
    const a = completionSha256({
      text: 'hi',
      toolCalls,
      reasoning: [{ type: 'thinking', text: 'a', signature: 's' }],
    });
    const b = completionSha256({
      text: 'hi',
      toolCalls,
      reasoning: [{ type: 'thinking', text: 'b', signature: 's' }],
    });
    expect(a).not.toBe(b);
    expect(a).not.toBe(completionSha256({ text: 'hi', toolCalls }));
  });
});

describe('a streamed thinking block', () => {
  it('restores a placeholder split across pieces, inside its block and ahead of the signature', () => {
    const thinking = createThinkingRestorer(vault);
    const out: ChatDelta[] = [
      ...thinking.push({ type: 'reasoning', id: '0', text: 'Mail [EMA' }),
      ...thinking.push({ type: 'reasoning', id: '0', text: 'IL_1] now [EM' }),
      ...thinking.push({ type: 'reasoning-signature', id: '0', signature: 'sig' }),
      ...thinking.push({ type: 'reasoning-redacted', id: '1', data: 'ENC' }),
      ...thinking.push({ type: 'reasoning', id: '2', text: 'then [EMAIL_' }),
      ...thinking.close(),
    ];
    expect(out).toEqual([
      { type: 'reasoning', id: '0', text: 'Mail ' },
      { type: 'reasoning', id: '0', text: 'ann@example.net now ' },
      { type: 'reasoning', id: '0', text: '[EM' },
      { type: 'reasoning-signature', id: '0', signature: 'sig' },
      { type: 'reasoning-redacted', id: '1', data: 'ENC' },
      { type: 'reasoning', id: '2', text: 'then ' },
      { type: 'reasoning', id: '2', text: '[EMAIL_' },
    ]);
    // The audit hashes what the vendor sent, placeholders and all.
    expect(thinking.parts()).toEqual([
      { type: 'thinking', text: 'Mail [EMAIL_1] now [EM', signature: 'sig' },
      { type: 'redacted-thinking', data: 'ENC' },
      { type: 'thinking', text: 'then [EMAIL_', signature: '' },
    ]);
  });

  it('releases what a block held back when the next block starts', () => {
    const thinking = createThinkingRestorer(vault);
    expect([
      ...thinking.push({ type: 'reasoning', id: '0', text: 'see [EMAIL_1' }),
      ...thinking.push({ type: 'reasoning', id: '3', text: ']' }),
    ]).toEqual([
      { type: 'reasoning', id: '0', text: 'see ' },
      { type: 'reasoning', id: '0', text: '[EMAIL_1' },
      { type: 'reasoning', id: '3', text: ']' },
    ]);
  });
});
