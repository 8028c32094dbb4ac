import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './condition.js';
import { type ConditionConfig, nodeConfigSchemas, parseNodeConfig } from './node-configs.js';

const issues = (type: keyof typeof nodeConfigSchemas, config: unknown) => {
  const result = nodeConfigSchemas[type].safeParse(config);
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

describe('node configs', () => {
  it('takes each trigger kind with exactly the fields it needs', () => {
    expect(issues('trigger', { kind: 'manual', inputSchema: { type: 'object' } })).toEqual([]);
    expect(issues('trigger', { kind: 'schedule', cron: '0 9 * * 1' })).toEqual([]);
    expect(issues('trigger', { kind: 'event', eventType: 'cp.hitl.resolved' })).toEqual([]);
    expect(issues('trigger', { kind: 'webhook' })).toEqual([]);
    expect(issues('trigger', { kind: 'schedule' })).toEqual([
      { path: 'cron', message: 'a schedule trigger needs a cron expression' },
    ]);
    expect(issues('trigger', { kind: 'schedule', cron: '61 * * * *' })).toEqual([
      { path: 'cron', message: 'not a cron expression croner understands' },
    ]);
    expect(issues('trigger', { kind: 'manual', eventType: 'cp.x' })).toEqual([
      { path: 'eventType', message: 'only an event trigger takes an event type' },
    ]);
    expect(issues('trigger', { kind: 'event', eventType: 'run' })[0]?.path).toBe('eventType');
  });

  it('names a bad reference inside a mapping by its place', () => {
    expect(issues('skill', { skill: 'risk.eu_ai_act_tier', input: { text: '$.nodes.a.outpt' } })).toEqual([
      { path: 'input.text', message: expect.stringContaining('expected ".output" after "$.nodes.a"') },
    ]);
    expect(issues('skill', { skill: 'risk', input: {} })[0]?.path).toBe('skill');
    expect(issues('skill', { skill: 'risk.x' })[0]).toEqual({
      path: 'input',
      message: 'a mapping is required',
    });
  });

  it('takes only the seven tools, the step settings within bounds, and no unknown field', () => {
    expect(
      issues('tool', {
        tool: 'read',
        args: { path: '$.input.path' },
        retry: { maxAttempts: 3, backoffMs: 500 },
      }),
    ).toEqual([]);
    expect(issues('tool', { tool: 'curl', args: {} })[0]?.path).toBe('tool');
    expect(issues('tool', { tool: 'read', args: {}, retry: { maxAttempts: 0, backoffMs: 1 } })[0]?.path).toBe(
      'retry.maxAttempts',
    );
    expect(issues('tool', { tool: 'read', args: {}, timeoutMs: 0 })[0]?.path).toBe('timeoutMs');
    expect(issues('tool', { tool: 'read', args: {}, script: 'x' })[0]?.message).toContain('script');
    expect(issues('hitl', { summary: 'ok?', timeoutSeconds: 10 })[0]?.path).toBe('timeoutSeconds');
    expect(issues('mcp_call', { server: 'files', tool: 'read_file', args: { path: 'a' } })).toEqual([]);
    expect(
      issues('multi_agent', { strategy: 'debate', agents: [{ role: 'critic' }], task: '$.input' }),
    ).toEqual([]);
  });

  it('asks compareTo of a comparison and refuses it on a one-sided test', () => {
    expect(issues('condition', { value: '$.input.x', op: 'gt' })).toEqual([
      { path: 'compareTo', message: '"gt" needs compareTo' },
    ]);
    expect(issues('condition', { value: '$.input.x', op: 'exists', compareTo: 1 })).toEqual([
      { path: 'compareTo', message: '"exists" takes no compareTo' },
    ]);
  });
});

describe('conditions', () => {
  const context = {
    input: { score: 7, tier: 'high', tags: ['pii', 'eu'], note: '', when: '2025-03-01' },
    outputs: { check: { list: ['high', 'unacceptable'] } },
  };
  const holds = (value: unknown, op: ConditionConfig['op'], compareTo?: unknown) =>
    evaluateCondition(
      parseNodeConfig('condition', { value, op, ...(compareTo === undefined ? {} : { compareTo }) }),
      context,
    );

  it('compares numbers with numbers and strings with strings, never across kinds', () => {
    expect(holds('$.input.score', 'gt', 5)).toBe(true);
    expect(holds('$.input.score', 'lte', 7)).toBe(true);
    expect(holds('$.input.score', 'lt', 7)).toBe(false);
    expect(holds('$.input.when', 'gte', '2025-01-01')).toBe(true);
    expect(holds('$.input.score', 'gt', '5')).toBe(false);
    expect(holds('$.input.score', 'lt', '9')).toBe(false);
    expect(holds('$.input.missing', 'lt', 9)).toBe(false);
  });

  it('tests equality by value, membership in arrays and text, presence and truth', () => {
    expect(holds('$.input.tier', 'equals', 'high')).toBe(true);
    expect(holds('$.input.tags', 'equals', ['pii', 'eu'])).toBe(true);
    expect(holds('$.input.score', 'equals', '7')).toBe(false);
    expect(holds('$.input.tier', 'not_equals', 'low')).toBe(true);
    expect(holds('$.input.tags', 'contains', 'eu')).toBe(true);
    expect(holds('$.input.tier', 'contains', 'ig')).toBe(true);
    expect(holds('$.input.tier', 'in', '$.nodes.check.output.list')).toBe(true);
    expect(holds('$.input.score', 'in', '$.nodes.check.output.list')).toBe(false);
    expect(holds('$.input.note', 'exists')).toBe(true);
    expect(holds('$.input.nothing', 'exists')).toBe(false);
    expect(holds('$.input.note', 'truthy')).toBe(false);
    expect(holds('$.input.tags', 'truthy')).toBe(true);
  });
});
