import { describe, expect, it } from 'vitest';
import { blankDraft, suiteBody } from './suite-form';

describe('the cross-vendor suite form', () => {
  it('turns the example into a body with two demo providers', () => {
    const parsed = suiteBody({
      ...blankDraft(),
      name: ' refunds ',
      judge: 'openai/gpt-4o',
      schedule: '0 3 * * *',
    });
    expect('body' in parsed && parsed.body).toMatchObject({
      name: 'refunds',
      providers: [
        { provider: 'demo', model: 'demo' },
        { provider: 'demo', model: 'demo-large' },
      ],
      judge: { provider: 'openai', model: 'gpt-4o' },
      schedule: '0 3 * * *',
    });
  });

  it('names each field to fix before anything is sent', () => {
    const parsed = suiteBody({ name: '', providers: 'openai', judge: 'judge', schedule: '', cases: '[' });
    expect('problems' in parsed && parsed.problems.map((p) => p.field)).toEqual([
      'providers',
      'judge',
      'cases',
      'name',
    ]);
  });
});
