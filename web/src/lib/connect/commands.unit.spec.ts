import { describe, expect, it } from 'vitest';
import { daemonPairCommand, sdkSnippets, testModelFor } from './commands';
import { remaining } from './countdown';

describe('what the Connect pages tell people to run', () => {
  it('pairs the daemon with the server and the code, as docs/daemon.md documents', () => {
    expect(daemonPairCommand({ server: 'https://pp.example.test', code: 'K7QF-2M9X' })).toBe(
      'proofpane-daemon pair --server https://pp.example.test --code K7QF-2M9X',
    );
  });

  it('points each SDK at this origin with the new key', () => {
    const s = sdkSnippets({ origin: 'https://pp.example.test', key: 'pp_live_abc' });
    expect(s.openai).toContain('baseURL: "https://pp.example.test/v1"');
    expect(s.openai).toContain('apiKey: "pp_live_abc"');
    expect(s.anthropic).toContain('baseURL: "https://pp.example.test"');
    expect(s.anthropic).not.toContain('/v1"');
    expect(s.curl).toContain('curl https://pp.example.test/v1/chat/completions');
    expect(s.curl).toContain('Authorization: Bearer pp_live_abc');
    expect(JSON.parse(s.curl.slice(s.curl.indexOf("'") + 1, s.curl.lastIndexOf("'")))).toEqual({
      model: 'demo',
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  it('tests a key with the cheapest-looking model of its provider', () => {
    const models = [
      { id: 'demo' },
      { id: 'openai/gpt-4o' },
      { id: 'openai/gpt-4o-mini' },
      { id: 'anthropic/claude-sonnet-4' },
    ];
    expect(testModelFor({ provider: 'openai', models })).toBe('openai/gpt-4o-mini');
    expect(testModelFor({ provider: 'anthropic', models })).toBe('anthropic/claude-sonnet-4');
    expect(testModelFor({ provider: 'gemini', models })).toBeUndefined();
  });

  it('counts a code down in minutes and seconds, and says nothing once it expired', () => {
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(remaining({ expiresAt: '2026-01-01T10:10:00Z', now })).toBe('10:00');
    expect(remaining({ expiresAt: '2026-01-01T10:00:05.200Z', now })).toBe('0:06');
    expect(remaining({ expiresAt: '2026-01-01T09:59:59Z', now })).toBeNull();
  });
});
