import { readFileSync } from 'node:fs';
import { controlByUid, skillIdPattern } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import { demoObject } from '../../providers/demo-object.js';
import { assertValidSchema, validateAgainst } from '../json-schema.js';
import { type JsonSchema, skillCategories } from '../skill.js';
import { getSkill, SKILLS, skillsByCategory } from './index.js';

const ISSUE_IDS = [
  'intake.classify_use_case',
  'intake.summarize_use_case',
  'intake.identify_data_categories',
  'risk.eu_ai_act_tier',
  'risk.impact_assessment',
  'risk.register_risks',
  'vendor.due_diligence',
  'vendor.dpa_review',
  'vendor.model_card_review',
  'policy.draft_acceptable_use',
  'policy.gap_analysis',
  'policy.map_controls',
  'monitoring.drift_review',
  'monitoring.incident_triage',
  'monitoring.cost_review',
  'audit.evidence_summary',
  'audit.control_test',
  'audit.findings_report',
  'training.literacy_module',
  'training.quiz',
  'training.role_briefing',
  'external.salesforce_lead_intake',
  'external.gmail_triage',
  'external.slack_alert',
];

/** Every object schema inside a schema, with its path. */
function objectSchemas(schema: JsonSchema, path = ''): [string, JsonSchema][] {
  const found: [string, JsonSchema][] = schema.type === 'object' ? [[path, schema]] : [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [name, child] of Object.entries(properties))
    found.push(...objectSchemas(child, `${path}/${name}`));
  if (schema.items) found.push(...objectSchemas(schema.items as JsonSchema, `${path}/items`));
  return found;
}

describe('the skill catalogue', () => {
  it('holds exactly the 24 skills of the issue, three per category, in category order', () => {
    expect(SKILLS.map((s) => s.id)).toEqual(ISSUE_IDS);
    expect(skillsByCategory().map((g) => [g.category, g.skills.length])).toEqual(
      skillCategories.map((c) => [c, 3]),
    );
    for (const skill of SKILLS) {
      expect(skill.id.startsWith(`${skill.category}.`), skill.id).toBe(true);
      expect(skill.id).toMatch(skillIdPattern);
      expect(getSkill(skill.id)).toBe(skill);
    }
    expect(getSkill('intake.nope')).toBeUndefined();
  });

  it.each(SKILLS.map((s) => [s.id, s] as const))(
    '%s names controls that exist in the control catalogue',
    (_, skill) => {
      expect(skill.controls.length).toBeGreaterThan(0);
      const unknown = skill.controls.filter((uid) => controlByUid(uid) === undefined);
      expect(unknown, 'control uids not in core/src/controls/controls.json').toEqual([]);
      expect(new Set(skill.controls).size).toBe(skill.controls.length);
    },
  );

  it.each(SKILLS.map((s) => [s.id, s] as const))('%s has a complete, strict contract', (_, skill) => {
    expect(skill.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(skill.title.length).toBeGreaterThan(10);
    expect(skill.description.length).toBeGreaterThan(60);
    expect(skill.basePrompt.length).toBeGreaterThan(300);
    expect(() => assertValidSchema(skill.inputSchema)).not.toThrow();
    expect(() => assertValidSchema(skill.outputSchema)).not.toThrow();
    expect(skill.outputSchema.type).toBe('object');
    // Strict JSON modes (OpenAI's) want every field required and nothing else allowed, at every depth.
    for (const [path, schema] of objectSchemas(skill.outputSchema)) {
      expect(schema.additionalProperties, `${path} allows other fields`).toBe(false);
      expect([...((schema.required as string[]) ?? [])].sort(), `${path} has optional fields`).toEqual(
        Object.keys(schema.properties as object).sort(),
      );
    }
  });

  it.each(SKILLS.map((s) => [s.id, s] as const))(
    '%s has at least three eval cases on valid inputs',
    (_, skill) => {
      expect(skill.evalCases.length).toBeGreaterThanOrEqual(3);
      expect(new Set(skill.evalCases.map((c) => c.name)).size).toBe(skill.evalCases.length);
      for (const evalCase of skill.evalCases) {
        expect(validateAgainst(skill.inputSchema, evalCase.input), evalCase.name).toEqual([]);
        expect(evalCase.assertions.length, evalCase.name).toBeGreaterThan(0);
      }
    },
  );

  it.each(SKILLS.map((s) => [s.id, s] as const))('%s gets a valid, labelled demo answer', (_, skill) => {
    const texts = [JSON.stringify(skill.evalCases[0]!.input)];
    const answer = demoObject({ schema: skill.outputSchema, texts });
    expect(validateAgainst(skill.outputSchema, answer)).toEqual([]);
    expect(JSON.stringify(answer)).toContain('[demo]');
    expect(demoObject({ schema: skill.outputSchema, texts })).toEqual(answer);
  });

  it('is documented skill by skill in docs/skills.md, with its controls', () => {
    const docs = readFileSync(new URL('../../../../docs/skills.md', import.meta.url), 'utf8');
    for (const skill of SKILLS) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${skill.id}\``));
      expect(row, `${skill.id} is missing from docs/skills.md`).toBeDefined();
      for (const uid of skill.controls) expect(row, `${skill.id} row lacks ${uid}`).toContain(`\`${uid}\``);
    }
  });

  it('refuses an input that breaks the schema, naming the path', () => {
    const skill = getSkill('audit.control_test')!;
    const problems = validateAgainst(skill.inputSchema, {
      controlUid: 'ISO42001:A.99',
      testProcedure: 'x',
      sample: [],
      extra: true,
    });
    expect(problems.map((p) => p.path).sort()).toEqual(['/controlUid', '/extra', '/sample']);
  });
});
