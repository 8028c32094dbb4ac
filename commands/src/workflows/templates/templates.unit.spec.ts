import { describe, expect, it } from 'vitest';
import { getSkill } from '../../skills/catalogue/index.js';
import { validateAgainst } from '../../skills/json-schema.js';
import { skillCategories } from '../../skills/skill.js';
import { type MappingReference, mappingReferences, resolveMapping } from '../mapping.js';
import { parseNodeConfig } from '../node-configs.js';
import { validateWorkflowGraph } from '../validate.js';
import { WORKFLOW_TEMPLATES } from './index.js';

const skills = { get: getSkill };
const fromInputOnly = (refs: MappingReference[]) => refs.every((r) => r.source.kind === 'input');

describe('the template catalogue', () => {
  it('holds at least eight, one per skill category, under unique ids', () => {
    expect(WORKFLOW_TEMPLATES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(WORKFLOW_TEMPLATES.map((t) => t.category))).toEqual(new Set(skillCategories));
    expect(new Set(WORKFLOW_TEMPLATES.map((t) => t.id)).size).toBe(WORKFLOW_TEMPLATES.length);
  });

  it('has one with four steps or more and one that asks a person', () => {
    const steps = (t: (typeof WORKFLOW_TEMPLATES)[number]) =>
      t.graph.nodes.filter((n) => n.type !== 'trigger').length;
    expect(Math.max(...WORKFLOW_TEMPLATES.map(steps))).toBeGreaterThanOrEqual(4);
    expect(WORKFLOW_TEMPLATES.some((t) => t.graph.nodes.some((n) => n.type === 'hitl'))).toBe(true);
  });

  describe.each(WORKFLOW_TEMPLATES.map((t) => [t.id, t] as const))('%s', (_id, template) => {
    it('validates against the skill catalogue', () => {
      expect(validateWorkflowGraph(template.graph, skills)).toEqual([]);
    });

    it("has a sample input its trigger's schema accepts", () => {
      const trigger = template.graph.nodes.find((n) => n.type === 'trigger')!;
      const { inputSchema } = parseNodeConfig('trigger', trigger.config);
      expect(inputSchema).toBeDefined();
      expect(validateAgainst(inputSchema!, template.sampleInput)).toEqual([]);
    });

    it('gives the skills that read only the run input an input their schema accepts', () => {
      const checked = template.graph.nodes
        .filter((n) => n.type === 'skill')
        .map((n) => parseNodeConfig('skill', n.config))
        .filter((config) => fromInputOnly(mappingReferences(config.input)));
      expect(checked.length).toBeGreaterThan(0);
      for (const config of checked) {
        const input = resolveMapping(config.input, { input: template.sampleInput, outputs: {} });
        expect(validateAgainst(getSkill(config.skill)!.inputSchema, input), config.skill).toEqual([]);
      }
    });
  });
});
