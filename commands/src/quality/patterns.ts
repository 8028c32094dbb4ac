import { RE2JS } from 're2js';

/**
 * The L3 patterns, all on RE2 (re2js): model output is untrusted text, and RE2 matches in time linear
 * in it. docs/quality.md explains each pattern and the framework rules built on them.
 */
const compile = (source: string) => RE2JS.compile(source);

/** The uid prefixes of the five frameworks in the control catalogue. */
export const FRAMEWORK_KEYS = ['NIST-AI-RMF', 'ISO42001', 'EU-AI-ACT', 'GDPR', 'SOC2'] as const;
export type FrameworkKey = (typeof FRAMEWORK_KEYS)[number];

/**
 * Where a text names a framework, or names another standard or document whose identifiers look alike
 * (ISO/IEC 27001's Annex A, NIST CSF). The `other_*` groups come first so a longer, more specific name
 * wins over a shorter one at the same place.
 */
export const FRAMEWORK_NAME = compile(
  [
    '(?P<other_iso>\\bISO(?:/IEC)?[ \\t]*(?:2700[0-9]|27701|9001|23894|31000|14001|22301|20000)(?::20[0-9]{2})?)',
    '(?P<other_nist>\\bNIST[ \\t]+(?:CSF|SP[ \\t]*800-[0-9]+|Cybersecurity[ \\t]+Framework))',
    '(?P<iso>\\b(?:ISO(?:/IEC)?[ \\t]*)?42001(?::2023)?)',
    '(?P<nist>\\bNIST(?:[ \\t]+AI[ \\t]+(?:RMF|Risk[ \\t]+Management[ \\t]+Framework|100-1))?|\\bAI[ \\t]+RMF)',
    '(?P<eu>\\bEU[ \\t]+AI[ \\t]+Act|\\b(?i:Artificial[ \\t]+Intelligence[ \\t]+Act)|\\bAI[ \\t]+Act|\\bAIA\\b|(?:Regulation[ \\t]+\\(EU\\)[ \\t]+)?\\b2024/1689)',
    '(?P<gdpr>\\b(?:UK[ \\t]+)?GDPR|\\b(?i:General[ \\t]+Data[ \\t]+Protection[ \\t]+Regulation)|(?:Regulation[ \\t]+\\(EU\\)[ \\t]+)?\\b2016/679|\\bRGPD\\b|\\bDSGVO\\b)',
    '(?P<soc2>\\bSOC[ \\t]*2(?:[ \\t]+Type[ \\t]+(?:II|I|1|2))?|\\bTSC\\b|\\b(?i:Trust[ \\t]+Services?[ \\t]+Criteria)|\\bAICPA\\b)',
  ].join('|'),
);

/** The named groups of FRAMEWORK_NAME and what each names. */
export const NAME_GROUPS: readonly (readonly [string, FrameworkKey | 'other'])[] = [
  ['other_iso', 'other'],
  ['other_nist', 'other'],
  ['iso', 'ISO42001'],
  ['nist', 'NIST-AI-RMF'],
  ['eu', 'EU-AI-ACT'],
  ['gdpr', 'GDPR'],
  ['soc2', 'SOC2'],
];

/**
 * Control identifiers, one alternative per id shape. `uid` is the catalogue's own form
 * (`GDPR:Art.9`), which names its framework. NIST functions are upper case, or title case
 * (`Govern 1.2`) when NIST is named; abbreviations take a hyphen (`GV-1.2`).
 */
export const CONTROL_ID = compile(
  [
    '(?P<uid>\\b(?P<uidPrefix>NIST-AI-RMF|ISO42001|EU-AI-ACT|GDPR|SOC2):(?P<uidNative>(?:GOVERN|MAP|MEASURE|MANAGE) [0-9]{1,2}\\.[0-9]{1,2}|A\\.[0-9]{1,2}(?:\\.[0-9]{1,2}){0,2}|Art\\.[0-9]{1,3}|AnnexIII\\.[0-9]{1,2}|(?:CC|PI|A|C|P)[0-9]{1,2}\\.[0-9]{1,2}))',
    '(?P<nist>\\b(?P<nistFn>GOVERN|MAP|MEASURE|MANAGE|Govern|Map|Measure|Manage)[ \\t]+(?P<nistCat>[0-9]{1,2})\\.(?P<nistSub>[0-9]{1,2})\\b)',
    '(?P<nistAbbr>\\b(?P<nistAbbrFn>GV|MP|MS|MG)-(?P<nistAbbrCat>[0-9]{1,2})\\.(?P<nistAbbrSub>[0-9]{1,2})\\b)',
    '(?P<iso>\\b(?:Annex[ \\t]+)?A\\.(?P<isoParts>[0-9]{1,2}(?:\\.[0-9]{1,2}){0,2})\\b)',
    '(?P<soc>\\b(?P<socSeries>CC|PI|A|C|P)(?P<socA>[0-9]{1,2})\\.(?P<socB>[0-9]{1,2})(?P<socFocus>\\.[0-9]{1,2})?\\b)',
    '(?P<article>\\b(?i:articles?|arts?\\.?)[ \\t]*(?P<articleList>[0-9]{1,3}\\b(?:\\([0-9a-z]{1,4}\\))*(?:[-–]\\([0-9a-z]{1,4}\\))?(?:[ \\t]*(?:,[ \\t]*(?:and|or)?|and|or|&|to|-|–)[ \\t]*[0-9]{1,3}\\b(?:\\([0-9a-z]{1,4}\\))*(?:[-–]\\([0-9a-z]{1,4}\\))?)*))',
    '(?P<annex>\\bAnnex[ \\t]+(?P<annexRoman>XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\\b(?:[ \\t]*,?[ \\t]*(?:(?i:point|pt\\.?|no\\.?|area)[ \\t]*)?\\(?(?P<annexPoint>[0-9]{1,2})\\)?)?)',
  ].join('|'),
);

/** One number of an article list, with its paragraph and point suffixes (`5(1)(c)`). */
export const ARTICLE_ITEM = compile('([0-9]{1,3})((?:\\([0-9a-z]{1,4}\\))*)');

/** What may stand between a framework's name and an id for the name to be adjacent to it. */
export const ADJACENT_BEFORE = compile(
  "^[ \\t]*(?:'s|’s)?[ \\t]*[:,(\\-–]?[ \\t]*(?:(?i:annex[ \\t]+a|control|criterion|criteria|subcategory|category)[ \\t]*)?$",
);

/** What may stand between an id and a framework's name after it (`Art. 35 GDPR`, `Art. 9 of the AI Act`). */
export const ADJACENT_AFTER = compile(
  '^[ \\t]*[,(]?[ \\t]*(?:(?i:of|in|under|from)[ \\t]+(?:(?i:the)[ \\t]+)?)?$',
);

/**
 * An id followed by another document's name: `of` and a name that is none of ours (`Article 9 of the
 * company handbook`), or another legal instrument's acronym (`Art. 16 TFEU`, `Art. 3 CCPA`).
 */
export const OTHER_AFTER = compile(
  '^(?:[ \\t]+(?i:of)[ \\t]+\\S|[ \\t]+(?:TFEU|TEU|ECHR|CFR|DSA|DMA|NIS2|DORA|CCPA|CPRA|HIPAA|LGPD|PIPEDA|PIPL|APPI|FADP|DPA|UCC)\\b)',
);

/** A line break: a framework named on an earlier line does not carry over. */
export const LINE_BREAK = compile('[\\r\\n]');

/** A further `.n` after an id (`MEASURE 2.8.1`, `v2.8.1`): a version or a section, not a control. */
export const TRAILING_NUMBER = compile('^\\.[0-9]');
