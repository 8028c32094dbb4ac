import { isControlUid } from '@proofpane/core';
import { type Citation, extractCitations, type IdShape } from './extract.js';
import { FRAMEWORK_KEYS, type FrameworkKey } from './patterns.js';

/**
 * What L3 found in a text (docs/quality.md): the catalogue uids it cites, the identifiers named under a
 * framework that does not hold them, and those that belong to another framework than the one named.
 */
export interface L3Result {
  cited: string[];
  unknown: { text: string; framework: FrameworkKey }[];
  misattributed: { text: string; named: FrameworkKey; actual: FrameworkKey }[];
}

export type Verdict =
  | { kind: 'cited'; uid: string }
  | { kind: 'unknown'; text: string; framework: FrameworkKey }
  | { kind: 'misattributed'; text: string; named: FrameworkKey; actual: FrameworkKey }
  | { kind: 'not_counted' };

export const isFrameworkKey = (key: string): key is FrameworkKey =>
  (FRAMEWORK_KEYS as readonly string[]).includes(key);

/** The frameworks whose identifiers can have this shape. */
function holdersOf(shape: IdShape): FrameworkKey[] {
  switch (shape.kind) {
    case 'nist':
      return ['NIST-AI-RMF'];
    case 'iso':
      return ['ISO42001'];
    case 'article':
      return ['EU-AI-ACT', 'GDPR'];
    case 'annex':
      return ['EU-AI-ACT'];
    case 'soc2':
      return ['SOC2'];
    default:
      return shape satisfies never;
  }
}

/**
 * The uid an id of this shape would have in a framework; `heading` when it is a real part of the
 * framework that is not a control (an ISO objective such as A.5 or A.6.1, an AI Act annex other than
 * Annex III's areas), so citing it is neither a hit nor a hallucination.
 */
function uidIn(shape: IdShape, framework: FrameworkKey): string | 'heading' {
  switch (shape.kind) {
    case 'nist':
      return `${framework}:${shape.fn} ${shape.category}.${shape.sub}`;
    case 'iso': {
      const [objective = 0, second, third] = shape.parts;
      const inRange = objective >= 2 && objective <= 10;
      if (inRange && second === undefined) return 'heading';
      if (inRange && third === undefined && (second === 1 || (objective === 6 && second === 2)))
        return 'heading';
      return `${framework}:A.${shape.parts.join('.')}`;
    }
    case 'article':
      return `${framework}:Art.${shape.number}`;
    case 'annex':
      if (shape.roman !== 'III' || shape.point === null) return 'heading';
      return `${framework}:AnnexIII.${shape.point}`;
    case 'soc2':
      return `${framework}:${shape.series}${shape.a}.${shape.b}`;
    default:
      return shape satisfies never;
  }
}

/** A shape that names its framework by itself: NIST functions, SOC 2 common and processing criteria. */
function impliedBy(shape: IdShape): FrameworkKey | undefined {
  if (shape.kind === 'nist') return 'NIST-AI-RMF';
  if (shape.kind === 'soc2' && (shape.series === 'CC' || shape.series === 'PI')) return 'SOC2';
  return undefined;
}

/** Judges one citation; `hint` is the framework a caller says the text is about, for ids it leaves unnamed. */
export function judge(citation: Citation, hint?: FrameworkKey): Verdict {
  const { shape, text } = citation;
  const holders = holdersOf(shape);
  const implied = impliedBy(shape);
  let framework: FrameworkKey;
  if (citation.named === 'other' && (citation.adjacent || !implied)) return { kind: 'not_counted' };
  if (
    citation.named !== null &&
    citation.named !== 'other' &&
    (citation.adjacent || holders.includes(citation.named))
  ) {
    framework = citation.named;
  } else if (implied) {
    framework = implied;
  } else if (hint && holders.includes(hint)) {
    framework = hint;
  } else {
    // A bare `Art. 9`, `A.6.2.8` or `A1.2` with no framework named: ambiguous, so not counted.
    return { kind: 'not_counted' };
  }
  // `Govern 1.2` in title case is ordinary prose unless NIST is named for it.
  if (citation.titleCase && citation.named !== 'NIST-AI-RMF') return { kind: 'not_counted' };
  if (holders.includes(framework)) {
    const uid = uidIn(shape, framework);
    if (uid === 'heading') return { kind: 'not_counted' };
    if (isControlUid(uid)) return { kind: 'cited', uid };
  }
  // Not held by the framework named: misattributed when exactly one other framework holds the id
  // (`GDPR Art. 105` is the AI Act's; an article both Acts hold cannot be placed), a hallucination otherwise.
  const actual = holders.filter((h) => {
    if (h === framework) return false;
    const uid = uidIn(shape, h);
    return uid !== 'heading' && isControlUid(uid);
  });
  if (actual.length === 1 && actual[0] !== undefined)
    return { kind: 'misattributed', text, named: framework, actual: actual[0] };
  return { kind: 'unknown', text, framework };
}

/** Folds verdicts into a result: each uid and each finding once, in the order first seen. */
export function summarise(verdicts: readonly Verdict[]): L3Result {
  const result: L3Result = { cited: [], unknown: [], misattributed: [] };
  const seen = new Set<string>();
  for (const v of verdicts) {
    if (v.kind === 'not_counted') continue;
    const key = JSON.stringify(v);
    if (seen.has(key)) continue;
    seen.add(key);
    if (v.kind === 'cited') result.cited.push(v.uid);
    else if (v.kind === 'unknown') result.unknown.push({ text: v.text, framework: v.framework });
    else result.misattributed.push({ text: v.text, named: v.named, actual: v.actual });
  }
  return result;
}

/** Extracts and checks every control identifier a text cites against the catalogue (L3). */
export function checkText(options: { text: string; framework?: FrameworkKey | undefined }): L3Result {
  return summarise(extractCitations(options.text).map((c) => judge(c, options.framework)));
}

/** A result cut to what one event holds (200 uids, 100 findings of each kind), for very long answers. */
export const capForEvent = (result: L3Result): L3Result => ({
  cited: result.cited.slice(0, 200),
  unknown: result.unknown.slice(0, 100),
  misattributed: result.misattributed.slice(0, 100),
});
