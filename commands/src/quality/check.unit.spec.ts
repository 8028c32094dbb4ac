import { describe, expect, it } from 'vitest';
import { checkText } from './check.js';
import { extractCitations } from './extract.js';

const cited = (text: string, framework?: Parameters<typeof checkText>[0]['framework']) =>
  checkText({ text, framework }).cited;

describe('L3: the identifiers a text cites', () => {
  it.each([
    ['NIST AI RMF GOVERN 1.2', 'NIST-AI-RMF:GOVERN 1.2'],
    ['Bias results go under MEASURE 2.8.', 'NIST-AI-RMF:MEASURE 2.8'],
    ['see MAP 5.1', 'NIST-AI-RMF:MAP 5.1'],
    ['GV-1.6 keeps the inventory', 'NIST-AI-RMF:GOVERN 1.6'],
    ['ISO/IEC 42001 A.6.2.8', 'ISO42001:A.6.2.8'],
    ['ISO 42001 Annex A.5.4', 'ISO42001:A.5.4'],
    ['EU AI Act Art. 12', 'EU-AI-ACT:Art.12'],
    ['Article 9(2) of the EU AI Act', 'EU-AI-ACT:Art.9'],
    ['EU AI Act Annex III point 4', 'EU-AI-ACT:AnnexIII.4'],
    ['GDPR Art. 5(1)(c)', 'GDPR:Art.5'],
    ['Article 35 GDPR', 'GDPR:Art.35'],
    ['SOC 2 CC6.1', 'SOC2:CC6.1'],
    ['TSC A1.2', 'SOC2:A1.2'],
    ['the point of focus CC6.1.3', 'SOC2:CC6.1'],
    ['GDPR:Art.9', 'GDPR:Art.9'],
  ])('reads %j as %s', (text, uid) => {
    expect(cited(text)).toEqual([uid]);
  });

  it('tells the two Acts apart by the name next to each article', () => {
    expect(cited('EU AI Act Art. 9 and GDPR Art. 9')).toEqual(['EU-AI-ACT:Art.9', 'GDPR:Art.9']);
    // The name after Art. 12 opens the next citation, so Art. 12 keeps the name before it.
    expect(cited('EU AI Act Art. 12, GDPR Art. 30')).toEqual(['EU-AI-ACT:Art.12', 'GDPR:Art.30']);
  });

  it('reads a list of articles under one name, each once', () => {
    expect(cited('Under the GDPR, Articles 13 and 14 apply; Art. 13 again.')).toEqual([
      'GDPR:Art.13',
      'GDPR:Art.14',
    ]);
  });

  it('reads lists with a serial comma, point ranges, and NIST ids followed by prose', () => {
    expect(cited('GDPR Articles 5, 6, and 9 apply.')).toEqual(['GDPR:Art.5', 'GDPR:Art.6', 'GDPR:Art.9']);
    expect(cited('Article 5(1)(a)-(f) GDPR')).toEqual(['GDPR:Art.5']);
    expect(cited('We meet GOVERN 1.2 in our AI policy.')).toEqual(['NIST-AI-RMF:GOVERN 1.2']);
    expect(cited('Article 9 TFEU and Art. 3 CCPA, under the GDPR')).toEqual([]);
  });

  it('does not count an article, Annex A item or A/C/P criterion no framework is named for', () => {
    expect(checkText({ text: 'Article 9 requires it; so do A.6.2.8 and A1.2.' })).toEqual({
      cited: [],
      unknown: [],
      misattributed: [],
    });
  });

  it('reads unnamed ids under the framework the caller gives, never against an id shape', () => {
    expect(cited('Article 9 requires it.', 'GDPR')).toEqual(['GDPR:Art.9']);
    expect(cited('Article 9 requires it.', 'EU-AI-ACT')).toEqual(['EU-AI-ACT:Art.9']);
    expect(cited('MEASURE 2.8 and Article 9', 'SOC2')).toEqual(['NIST-AI-RMF:MEASURE 2.8']);
  });

  it('flags an id its framework does not hold as unknown', () => {
    expect(
      checkText({ text: 'GDPR Art. 120 and ISO 42001 A.11.2, SOC 2 CC6.9, GOVERN 7.1' }).unknown,
    ).toEqual([
      { text: 'Art. 120', framework: 'GDPR' },
      { text: 'A.11.2', framework: 'ISO42001' },
      { text: 'CC6.9', framework: 'SOC2' },
      { text: 'GOVERN 7.1', framework: 'NIST-AI-RMF' },
    ]);
  });

  it('flags an id of another framework than the one named as misattributed', () => {
    expect(checkText({ text: 'ISO 42001 MEASURE 2.8' })).toEqual({
      cited: [],
      unknown: [],
      misattributed: [{ text: 'MEASURE 2.8', named: 'ISO42001', actual: 'NIST-AI-RMF' }],
    });
    expect(checkText({ text: 'GDPR Art. 105 and GDPR Annex III point 1' }).misattributed).toEqual([
      { text: 'Art. 105', named: 'GDPR', actual: 'EU-AI-ACT' },
      { text: 'Annex III(1)', named: 'GDPR', actual: 'EU-AI-ACT' },
    ]);
  });

  it.each([
    'See section 4.2 of the runbook.',
    'Upgrade to v2.8.1 first.',
    'MEASURE 2.8.1 of the release notes',
    'Article 9 of the company handbook',
    'Art. 16 TFEU',
    'ISO 27001 A.8.2 covers privileged access.',
    'ISO 9001 clause 8.5.1',
    'The invoice is $9.99, dated 2024-05-01.',
    'We measure 2.8 times more throughput.',
    'ISO 42001 Annex A.6.1 is an objective, not a control.',
    'The AI Act lists high-risk areas in Annex III.',
  ])('finds nothing to count in %j', (text) => {
    expect(checkText({ text })).toEqual({ cited: [], unknown: [], misattributed: [] });
  });

  it('reports where each identifier sits in the text', () => {
    const text = 'Logs: EU AI Act Art. 12.';
    const [citation] = extractCitations(text);
    expect(citation).toMatchObject({ text: 'Art. 12', named: 'EU-AI-ACT', adjacent: true });
    expect(text.slice(citation!.start, citation!.end)).toBe('Art. 12');
  });
});
