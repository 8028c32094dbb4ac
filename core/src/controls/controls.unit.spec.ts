import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEventType } from '../events/catalogue/index.js';
import {
  CONTROL_CATALOGUE_VERSION,
  controlByUid,
  controlCatalogue,
  findFramework,
  frameworkOfControl,
  isControlUid,
} from './controls.js';
import { controlCrosswalks, crosswalksOf } from './crosswalks.js';
import { evidenceFor, evidenceRules } from './evidence-rules.js';

const dataSha256 = createHash('sha256')
  .update(readFileSync(new URL('./controls.json', import.meta.url)))
  .digest('hex');

describe('the control catalogue', () => {
  it('holds 391 controls over five frameworks, 59 of them curated, each uid once', () => {
    const uids = controlCatalogue.frameworks.flatMap((f) => f.controls.map((c) => c.uid));
    expect(uids).toHaveLength(391);
    expect(new Set(uids).size).toBe(391);
    expect(controlCatalogue.frameworks.map((f) => f.count)).toEqual([72, 38, 121, 99, 61]);
    expect(controlCatalogue.curatedSuggestion.controls).toHaveLength(59);
    for (const { uid } of controlCatalogue.curatedSuggestion.controls) expect(isControlUid(uid)).toBe(true);
  });

  it('keeps the sources of every framework', () => {
    for (const f of controlCatalogue.frameworks) expect(f.sources.length).toBeGreaterThan(0);
  });

  it('changes its data only with a new version', () => {
    // Edit controls.json, then bump the revision in controls.ts and this pin together.
    expect({ version: CONTROL_CATALOGUE_VERSION, dataSha256 }).toEqual({
      version: '2026-11-26.1',
      dataSha256: '2e97e621ddcf10658dd491db81754c126c472a7fbf2ab63c6e08d7d466ac72d4',
    });
  });

  it('scopes native ids by framework: EU AI Act Art. 9 is not GDPR Art. 9', () => {
    expect(controlByUid('EU-AI-ACT:Art.9')?.title).toBe('Risk management system');
    expect(controlByUid('GDPR:Art.9')?.title).not.toBe('Risk management system');
    expect(frameworkOfControl('EU-AI-ACT:Art.9')?.id).toBe('eu-ai-act-2024-1689');
    expect(frameworkOfControl('GDPR:Art.9')?.id).toBe('gdpr-2016-679');
    expect(isControlUid('Art.9')).toBe(false);
  });

  it('finds a framework by id or by uid prefix, and nothing else', () => {
    expect(findFramework('gdpr-2016-679')?.id).toBe('gdpr-2016-679');
    expect(findFramework('iso42001')?.id).toBe('iso-iec-42001-2023');
    expect(findFramework('EU-AI-ACT')?.id).toBe('eu-ai-act-2024-1689');
    expect(findFramework('hipaa')).toBeUndefined();
  });
});

describe('crosswalks', () => {
  it('name only controls of the catalogue, across at least two frameworks per group', () => {
    for (const group of controlCrosswalks) {
      expect(
        group.controls.filter((uid) => !isControlUid(uid)),
        group.id,
      ).toEqual([]);
      expect(new Set(group.controls.map((uid) => frameworkOfControl(uid)?.id)).size).toBeGreaterThan(1);
    }
    expect(new Set(controlCrosswalks.map((g) => g.id)).size).toBe(controlCrosswalks.length);
  });

  it('link ISO 42001 A.6.2.8 to EU AI Act Art. 12 and NIST AI RMF MEASURE 2.8', () => {
    const linked = crosswalksOf('ISO42001:A.6.2.8').flatMap((g) => g.controls);
    expect(linked).toEqual(expect.arrayContaining(['EU-AI-ACT:Art.12', 'NIST-AI-RMF:MEASURE 2.8']));
    expect(linked).not.toContain('ISO42001:A.6.2.8');
  });
});

describe('evidence rules', () => {
  it('read event types of the event catalogue and evidence controls of the control catalogue', () => {
    for (const rule of evidenceRules) {
      expect(isEventType(rule.type), `${rule.id}: ${rule.type}`).toBe(true);
      expect(
        rule.controls.filter((uid) => !isControlUid(uid)),
        rule.id,
      ).toEqual([]);
      expect(rule.controls.length).toBeGreaterThan(0);
    }
    expect(new Set(evidenceRules.map((r) => r.id)).size).toBe(evidenceRules.length);
  });

  it('match an event only when every condition holds', () => {
    const decided = (decision: string, dlp: Record<string, number>) => ({
      type: 'cp.gate.policy.decided',
      data: { decision, dlp },
    });
    expect(evidenceFor(decided('allow', { EMAIL: 2 })).rules).toEqual(['dlp-masked']);
    expect(evidenceFor(decided('allow', { EMAIL: 2 })).controls).toContain('GDPR:Art.5');
    expect(evidenceFor(decided('allow', {})).rules).toEqual([]);
    expect(evidenceFor(decided('block', {})).rules).toEqual(['policy-blocked']);
    expect(evidenceFor({ type: 'cp.hitl.resolved', data: { auto: true } }).controls).toEqual([]);
    expect(evidenceFor({ type: 'cp.hitl.resolved', data: { auto: false } }).controls).toContain(
      'EU-AI-ACT:Art.14',
    );
    expect(evidenceFor({ type: 'cp.run.started', data: {} }).rules).toEqual([]);
  });

  it('evidence record-keeping by every completed governed call', () => {
    const { controls } = evidenceFor({ type: 'cp.llm.call.completed', data: {} });
    expect(controls).toEqual(expect.arrayContaining(['EU-AI-ACT:Art.12', 'ISO42001:A.6.2.8']));
  });
});
