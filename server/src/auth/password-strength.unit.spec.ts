import { describe, expect, it } from 'vitest';
import { passwordWeakness } from './password-strength.js';

describe('password strength', () => {
  it('refuses common, repeated and keyboard passwords, saying what to change', () => {
    expect(passwordWeakness({ password: 'password' })).toMatch(/heavily used password.*Add more words/);
    expect(passwordWeakness({ password: '12345678' })).toMatch(/heavily used password/);
    expect(passwordWeakness({ password: '        ' })).toMatch(/Repeated characters/);
    expect(passwordWeakness({ password: 'qwertyuiop' })).toMatch(/easy to guess|used password/);
    expect(passwordWeakness({ password: 'password123' })).toMatch(/commonly used password/);
  });

  it('refuses a password made of the account’s own email or org name', () => {
    const userInputs = ['zoltan.kowalczyk@quillfeather.test', 'Quillfeather Analytics'];
    expect(passwordWeakness({ password: 'zoltankowalczyk' })).toBeUndefined();
    expect(passwordWeakness({ password: 'zoltankowalczyk', userInputs })).toMatch(
      /email address or organisation name/,
    );
    expect(passwordWeakness({ password: 'quillfeather2024', userInputs })).toBeDefined();
  });

  it('accepts long or random passwords', () => {
    expect(passwordWeakness({ password: 'quartz lantern meadow 7' })).toBeUndefined();
    expect(passwordWeakness({ password: 'T7#kq9!vLm2$' })).toBeUndefined();
  });
});
