import { describe, expect, it } from 'vitest';
import { readForm, writeForm } from './policy-form';

const doc = {
  providers: ['*'],
  models: ['openai/*', 'demo'],
  tools: ['*'],
  agents: { code_agent: { tools: ['read'] } },
  blockedPatterns: [{ name: 'project', pattern: 'ACME-\\d+' }],
  media: 'allow',
  dlp: { EMAIL: 'mask' },
  hitl: { tools: ['write'], localTools: ['bash'], timeoutSeconds: 900 },
};

describe('the policy form', () => {
  it('reads the common settings as fields, one glob per line', () => {
    expect(readForm(doc)).toEqual({
      providers: '*',
      models: 'openai/*\ndemo',
      tools: '*',
      maxTokens: '',
      media: 'allow',
      hitlTools: 'write',
      hitlTimeoutSeconds: '900',
    });
  });

  it('writes them back and leaves the rest of the document as it was', () => {
    const form = {
      ...readForm(doc),
      models: 'anthropic/*, demo',
      maxTokens: '4000',
      hitlTools: 'write\nbash',
      media: 'block' as const,
    };
    const next = writeForm(doc, form);
    expect(next).toEqual({
      ...doc,
      models: ['anthropic/*', 'demo'],
      maxTokens: 4000,
      media: 'block',
      hitl: { tools: ['write', 'bash'], localTools: ['bash'], timeoutSeconds: 900 },
    });
    expect(writeForm(next, { ...readForm(next), maxTokens: '', hitlTimeoutSeconds: '' })).not.toHaveProperty(
      'maxTokens',
    );
  });

  it('passes a number field that is not a number to the server as typed, for it to name', () => {
    expect(writeForm(doc, { ...readForm(doc), maxTokens: 'lots' }).maxTokens).toBe('lots');
  });
});
