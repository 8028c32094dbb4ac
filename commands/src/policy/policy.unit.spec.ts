import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  defaultPolicy,
  evaluatePolicy,
  evaluateToolCall,
  InvalidPolicyError,
  parsePolicy,
} from './index.js';

const policy = compilePolicy(
  parsePolicy({
    providers: ['openai', 'anthropic', 'demo'],
    models: ['gpt-4o*', 'claude-*', 'demo/*'],
    maxTokens: 4000,
    tools: ['search_*', 'read_file'],
    blockedPatterns: [{ name: 'project-falcon', pattern: 'project\\s+falcon' }],
    dlp: { ...defaultPolicy().dlp, US_SSN: 'hitl' },
    hitl: { tools: ['send_email'], timeoutSeconds: 600 },
    agents: {
      code_agent: { models: ['gpt-4o-mini'], tools: ['read_file', 'run_tests'], maxTokens: 1000 },
      hr_agent: { tools: ['send_email', 'search_*'], dlp: { EMAIL: 'allow' } },
    },
  }),
);

const request = (over: Partial<Parameters<typeof evaluatePolicy>[0]['request']> = {}) => ({
  provider: 'openai',
  model: 'gpt-4o',
  texts: ['hello'],
  ...over,
});

describe('evaluatePolicy', () => {
  it('allows a request inside every rule', () => {
    const r = evaluatePolicy({ policy, request: request({ tools: ['search_web'], maxTokens: 100 }) });
    expect(r).toMatchObject({
      decision: 'allow',
      rulesMatched: [],
      dlp: {},
      maskedTexts: ['hello'],
      vault: {},
    });
  });

  it('blocks providers, models, tools and token limits outside the policy', () => {
    expect(
      evaluatePolicy({ policy, request: request({ provider: 'gemini', model: 'gemini-2.5-pro' }) }),
    ).toMatchObject({
      decision: 'block',
      code: 'policy_blocked',
      rulesMatched: ['providers', 'models'],
    });
    expect(evaluatePolicy({ policy, request: request({ model: 'o3' }) }).rulesMatched).toEqual(['models']);
    expect(evaluatePolicy({ policy, request: request({ tools: ['delete_db'] }) }).reason).toBe(
      'tool "delete_db" is not allowed',
    );
    expect(evaluatePolicy({ policy, request: request({ maxTokens: 5000 }) }).rulesMatched).toEqual([
      'maxTokens',
    ]);
  });

  it('matches provider-qualified model patterns', () => {
    expect(evaluatePolicy({ policy, request: request({ provider: 'demo', model: 'echo-1' }) }).decision).toBe(
      'allow',
    );
  });

  it('applies the agent scope instead of the org-wide rules', () => {
    const r = evaluatePolicy({
      policy,
      request: request({ agent: 'code_agent', model: 'gpt-4o', maxTokens: 2000 }),
    });
    expect(r.decision).toBe('block');
    expect(r.rulesMatched).toEqual([
      'agents.code_agent',
      'agents.code_agent.models',
      'agents.code_agent.maxTokens',
    ]);
    const unknown = evaluatePolicy({ policy, request: request({ agent: 'nobody', maxTokens: 2000 }) });
    expect(unknown.decision).toBe('allow');
  });

  it('masks personal data with one vault across texts and reports counts only', () => {
    const r = evaluatePolicy({
      policy,
      request: request({ texts: ['I am ann@example.com', 'again ann@example.com, from 10.1.2.3'] }),
    });
    expect(r.decision).toBe('allow');
    expect(r.maskedTexts).toEqual(['I am [EMAIL_1]', 'again [EMAIL_1], from [IP_ADDRESS_1]']);
    expect(r.vault).toEqual({ '[EMAIL_1]': 'ann@example.com', '[IP_ADDRESS_1]': '10.1.2.3' });
    expect(r.dlp).toEqual({ EMAIL: 2, IP_ADDRESS: 1 });
    expect(r.rulesMatched).toEqual(['dlp.EMAIL:mask', 'dlp.IP_ADDRESS:mask']);
    expect(JSON.stringify({ dlp: r.dlp, rules: r.rulesMatched, reason: r.reason })).not.toContain('ann@');
  });

  it('blocks secrets and asks a human for SSNs, block winning over hitl', () => {
    const secret = evaluatePolicy({ policy, request: request({ texts: ['key AKIAIOSFODNN7EXAMPLE'] }) });
    expect(secret).toMatchObject({ decision: 'block', code: 'dlp_blocked', dlp: { API_SECRET: 1 } });
    expect(secret.reason).not.toContain('AKIA');
    const ssn = evaluatePolicy({ policy, request: request({ texts: ['SSN 219-09-9999'] }) });
    expect(ssn).toMatchObject({ decision: 'hitl', code: 'hitl_required' });
    const both = evaluatePolicy({
      policy,
      request: request({ texts: ['SSN 219-09-9999 AKIAIOSFODNN7EXAMPLE'] }),
    });
    expect(both.code).toBe('dlp_blocked');
  });

  it('lets an agent scope override one DLP action', () => {
    const r = evaluatePolicy({
      policy,
      request: request({ agent: 'hr_agent', texts: ['mail ann@example.com'] }),
    });
    expect(r.maskedTexts).toEqual(['mail ann@example.com']);
  });

  it('blocks texts matching a blocked pattern', () => {
    const r = evaluatePolicy({ policy, request: request({ texts: ['status of Project  Falcon?'] }) });
    expect(r).toMatchObject({
      decision: 'block',
      code: 'policy_blocked',
      rulesMatched: ['blockedPatterns.project-falcon'],
    });
  });

  it('the default policy allows the demo provider, masks personal data and blocks secrets', () => {
    const d = compilePolicy(defaultPolicy());
    expect(
      evaluatePolicy({ policy: d, request: { provider: 'demo', model: 'demo', texts: ['+1 415 867 5309'] } }),
    ).toMatchObject({
      decision: 'allow',
      maskedTexts: ['[PHONE_1]'],
    });
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    expect(
      evaluatePolicy({ policy: d, request: { provider: 'demo', model: 'demo', texts: [jwt] } }).code,
    ).toBe('dlp_blocked');
  });
});

describe('evaluateToolCall', () => {
  it('requires approval for marked tools and reports the timeout', () => {
    const r = evaluateToolCall({
      policy,
      call: { tool: 'send_email', agent: 'hr_agent', arguments: '{"to":"x"}' },
    });
    expect(r).toMatchObject({ decision: 'hitl', code: 'hitl_required', hitlTimeoutSeconds: 600 });
    expect(r.rulesMatched).toContain('hitl.tools');
  });

  it('asks a person for in-process bash, write and edit unless the org relaxes hitl.localTools', () => {
    const strict = compilePolicy(defaultPolicy());
    for (const tool of ['bash', 'write', 'edit']) {
      const local = evaluateToolCall({ policy: strict, call: { tool, runtime: 'local', arguments: {} } });
      expect(local, tool).toMatchObject({ decision: 'hitl', code: 'hitl_required' });
      expect(local.rulesMatched).toContain('hitl.localTools');
      const remote = evaluateToolCall({ policy: strict, call: { tool, runtime: 'remote', arguments: {} } });
      expect(remote.decision, tool).toBe('allow');
    }
    expect(
      evaluateToolCall({ policy: strict, call: { tool: 'read', runtime: 'local', arguments: {} } }).decision,
    ).toBe('allow');
    const relaxed = compilePolicy(parsePolicy({ hitl: { localTools: [] } }));
    expect(
      evaluateToolCall({ policy: relaxed, call: { tool: 'bash', runtime: 'local', arguments: {} } }).decision,
    ).toBe('allow');
  });

  it('blocks tools outside the scope and secrets in arguments, but passes masked types through', () => {
    expect(evaluateToolCall({ policy, call: { tool: 'run_tests', arguments: {} } }).code).toBe(
      'policy_blocked',
    );
    expect(
      evaluateToolCall({ policy, call: { tool: 'run_tests', agent: 'code_agent', arguments: {} } }).decision,
    ).toBe('allow');
    const secret = evaluateToolCall({
      policy,
      call: { tool: 'read_file', arguments: { token: 'ghp_' + 'a1B2'.repeat(9) } },
    });
    expect(secret).toMatchObject({ decision: 'block', code: 'dlp_blocked', dlp: { API_SECRET: 1 } });
    const email = evaluateToolCall({
      policy,
      call: { tool: 'read_file', arguments: { owner: 'ann@example.com' } },
    });
    expect(email).toMatchObject({ decision: 'allow', dlp: { EMAIL: 1 } });
  });
});

describe('parsePolicy', () => {
  it('fills defaults', () => {
    expect(parsePolicy({})).toMatchObject({
      providers: ['*'],
      hitl: { tools: [], localTools: ['bash', 'write', 'edit'], timeoutSeconds: 900 },
    });
  });

  it('rejects invalid patterns and those RE2 cannot run, naming the field', () => {
    const invalid = () => parsePolicy({ blockedPatterns: [{ name: 'bad', pattern: '(unclosed' }] });
    expect(invalid).toThrow(InvalidPolicyError);
    expect(invalid).toThrow(
      /blockedPatterns\.0\.pattern: blocked pattern "bad" cannot run .*missing closing \)/,
    );
    expect(() =>
      parsePolicy({
        blockedPatterns: [
          { name: 'ok', pattern: 'x' },
          { name: 'br', pattern: '(a)\\1' },
        ],
      }),
    ).toThrow(/blockedPatterns\.1\.pattern: .*backreferences/);
    expect(() => parsePolicy({ blockedPatterns: [{ name: 'la', pattern: 'a(?=b)' }] })).toThrow(
      /blockedPatterns\.0\.pattern: .*lookahead and lookbehind/,
    );
    expect(() => parsePolicy({ blockedPatterns: [{ name: 'g', pattern: 'x', flags: 'g' }] })).toThrow(
      /blockedPatterns\.0\.flags/,
    );
  });

  it('rejects unknown fields, entity types and actions', () => {
    expect(() => parsePolicy({ dlp: { EMAIL: 'shred' } })).toThrow(/dlp\.EMAIL/);
    expect(() => parsePolicy({ dlp: { PASSPORT: 'mask' } })).toThrow(InvalidPolicyError);
    expect(() => parsePolicy({ agents: { a: { colour: 'red' } } })).toThrow(/agents\.a/);
  });
});
