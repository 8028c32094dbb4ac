import type { SkillCatalogue, WorkflowNodeTypeInfo } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { defaultConfig, filterPalette, paletteGroups } from './palette';

const skill = (id: string, category: SkillCatalogue['categories'][number]['category']) => ({
  id,
  category,
  title: `Title of ${id}`,
  description: `Does ${id}`,
  version: '1.0.0',
  controls: [],
  allowedTools: [],
});
const catalogue: SkillCatalogue = {
  categories: [
    {
      category: 'intake',
      skills: [skill('intake.classify_use_case', 'intake'), skill('intake.identify_data', 'intake')],
    },
    { category: 'risk', skills: [skill('risk.eu_ai_act_tier', 'risk')] },
    { category: 'vendor', skills: [] },
  ],
};
const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
});
const nodeTypes: WorkflowNodeTypeInfo[] = [
  {
    type: 'trigger',
    configSchema: object({ kind: { type: 'string', enum: ['manual', 'schedule'] } }, ['kind']),
    edgeLabels: [],
  },
  {
    type: 'skill',
    configSchema: object({ skill: { type: 'string' }, input: {} }, ['skill', 'input']),
    edgeLabels: [],
  },
  {
    type: 'hitl',
    configSchema: object(
      { summary: {}, timeoutSeconds: { type: 'integer', minimum: 60 }, risk: { type: 'string' } },
      ['summary', 'timeoutSeconds'],
    ),
    edgeLabels: ['approved', 'denied', 'timeout'],
  },
  {
    type: 'salesforce_read',
    configSchema: object({ objectType: { type: 'string' } }, ['objectType']),
    edgeLabels: [],
  },
];

describe('the builder palette', () => {
  it('lists the engine node types first, then the skills by category, empty categories left out', () => {
    const groups = paletteGroups({ catalogue, nodeTypes });
    expect(groups.map((g) => g.name)).toEqual(['Steps', 'Intake', 'Risk']);
    expect(groups[0]!.items.map((i) => i.type)).toEqual(['trigger', 'hitl', 'salesforce_read']);
    expect(groups[1]!.items.map((i) => [i.key, i.idBase, i.config])).toEqual([
      [
        'skill:intake.classify_use_case',
        'classify_use_case',
        { skill: 'intake.classify_use_case', input: {} },
      ],
      ['skill:intake.identify_data', 'identify_data', { skill: 'intake.identify_data', input: {} }],
    ]);
  });

  it('fills each required config field with a first value from its schema', () => {
    expect(defaultConfig(nodeTypes[2]!.configSchema)).toEqual({ summary: '', timeoutSeconds: 60 });
    expect(defaultConfig(nodeTypes[0]!.configSchema)).toEqual({ kind: 'manual' });
  });

  it('offers no skills when the engine has no skill node type', () => {
    expect(
      paletteGroups({ catalogue, nodeTypes: nodeTypes.filter((t) => t.type !== 'skill') }).map((g) => g.name),
    ).toEqual(['Steps']);
  });

  it('filters by every word across label, hint and type', () => {
    const groups = paletteGroups({ catalogue, nodeTypes });
    expect(filterPalette(groups, 'risk tier').flatMap((g) => g.items.map((i) => i.key))).toEqual([
      'skill:risk.eu_ai_act_tier',
    ]);
    expect(filterPalette(groups, 'nothing like this')).toEqual([]);
    expect(filterPalette(groups, '  ')).toHaveLength(3);
  });
});
