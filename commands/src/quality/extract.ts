import type { RE2JS } from 're2js';
import {
  ADJACENT_AFTER,
  ADJACENT_BEFORE,
  ARTICLE_ITEM,
  CONTROL_ID,
  FRAMEWORK_NAME,
  type FrameworkKey,
  LINE_BREAK,
  NAME_GROUPS,
  OTHER_AFTER,
  TRAILING_NUMBER,
} from './patterns.js';

/** The shape of an identifier as written, before any framework is decided. */
export type IdShape =
  | { kind: 'nist'; fn: 'GOVERN' | 'MAP' | 'MEASURE' | 'MANAGE'; category: number; sub: number }
  | { kind: 'iso'; parts: number[] }
  | { kind: 'article'; number: number }
  | { kind: 'annex'; roman: string; point: number | null }
  | { kind: 'soc2'; series: string; a: number; b: number };

/**
 * One identifier found in a text. `named` is the framework the text names for it (`other` when it names
 * another standard or document); `titleCase` marks a NIST function written `Govern 1.2`, counted only
 * when NIST is named.
 */
export interface Citation {
  /** The identifier, normalised (`Art. 5`, `A.6.2.8`, `MEASURE 2.8`, `CC6.1`, `Annex III(4)`). */
  text: string;
  start: number;
  end: number;
  shape: IdShape;
  named: FrameworkKey | 'other' | null;
  /** Whether the name sits right next to the id, rather than earlier in the line. */
  adjacent: boolean;
  titleCase?: boolean;
}

interface Mention {
  start: number;
  end: number;
  framework: FrameworkKey | 'other';
}

/** How far back a framework named earlier on the line still governs an id that needs one. */
const WINDOW = 80;
/** How far after an id its framework's name may follow (`Article 9 of the EU AI Act`). */
const AFTER = 12;

type NistFn = 'GOVERN' | 'MAP' | 'MEASURE' | 'MANAGE';
const NIST_FN: Readonly<Record<string, NistFn>> = {
  GV: 'GOVERN',
  MP: 'MAP',
  MS: 'MEASURE',
  MG: 'MANAGE',
  GOVERN: 'GOVERN',
  MAP: 'MAP',
  MEASURE: 'MEASURE',
  MANAGE: 'MANAGE',
};

function mentionsIn(text: string): Mention[] {
  const out: Mention[] = [];
  const m = FRAMEWORK_NAME.matcher(text);
  while (m.find()) {
    const hit = NAME_GROUPS.find(([group]) => m.group(group) !== null);
    if (hit) out.push({ start: m.start(), end: m.end(), framework: hit[1] });
  }
  return out;
}

const matches = (re: RE2JS, text: string) => re.matcher(text).matches();
const lookingAt = (re: RE2JS, text: string) => re.matcher(text).lookingAt();

interface RawId {
  start: number;
  end: number;
  items: { text: string; shape: IdShape; titleCase?: boolean }[];
  /** The framework the catalogue uid form names itself. */
  prefix?: FrameworkKey;
}

function nistItem(fn: string, cat: string, sub: string): RawId['items'][number] {
  const full = NIST_FN[fn.toUpperCase()] ?? 'GOVERN';
  const shape: IdShape = { kind: 'nist', fn: full, category: Number(cat), sub: Number(sub) };
  return { text: `${full} ${shape.category}.${shape.sub}`, shape };
}

/** The shape of a uid's native part (`Art.9`, `AnnexIII.4`, `GOVERN 1.2`). */
function nativeShape(native: string): { text: string; shape: IdShape } | undefined {
  const m = CONTROL_ID.matcher(native.replace('Art.', 'Art. ').replace('AnnexIII.', 'Annex III point '));
  if (!m.lookingAt()) return undefined;
  return rawOf(m)?.items[0];
}

function rawOf(m: ReturnType<RE2JS['matcher']>): RawId | undefined {
  const start = m.start();
  const end = m.end();
  if (m.group('uid') !== null) {
    const inner = nativeShape(m.group('uidNative') ?? '');
    if (!inner) return undefined;
    return { start, end, items: [inner], prefix: m.group('uidPrefix') as FrameworkKey };
  }
  if (m.group('nist') !== null) {
    const fn = m.group('nistFn') ?? '';
    const item = nistItem(fn, m.group('nistCat') ?? '', m.group('nistSub') ?? '');
    return { start, end, items: [{ ...item, titleCase: fn !== fn.toUpperCase() }] };
  }
  if (m.group('nistAbbr') !== null) {
    const item = nistItem(
      m.group('nistAbbrFn') ?? '',
      m.group('nistAbbrCat') ?? '',
      m.group('nistAbbrSub') ?? '',
    );
    return { start, end, items: [item] };
  }
  if (m.group('iso') !== null) {
    const parts = (m.group('isoParts') ?? '').split('.').map(Number);
    return { start, end, items: [{ text: `A.${parts.join('.')}`, shape: { kind: 'iso', parts } }] };
  }
  if (m.group('soc') !== null) {
    const series = m.group('socSeries') ?? '';
    const a = Number(m.group('socA'));
    const b = Number(m.group('socB'));
    // A point of focus (CC6.1.3) belongs to its criterion.
    return { start, end, items: [{ text: `${series}${a}.${b}`, shape: { kind: 'soc2', series, a, b } }] };
  }
  if (m.group('article') !== null) {
    const items: RawId['items'] = [];
    const list = ARTICLE_ITEM.matcher(m.group('articleList') ?? '');
    while (list.find()) {
      const number = Number(list.group(1));
      items.push({ text: `Art. ${number}`, shape: { kind: 'article', number } });
    }
    return { start, end, items };
  }
  if (m.group('annex') !== null) {
    const roman = m.group('annexRoman') ?? '';
    const pointText = m.group('annexPoint');
    const point = pointText === null ? null : Number(pointText);
    const text = point === null ? `Annex ${roman}` : `Annex ${roman}(${point})`;
    return { start, end, items: [{ text, shape: { kind: 'annex', roman, point } }] };
  }
  return undefined;
}

function rawIds(text: string): RawId[] {
  const out: RawId[] = [];
  const m = CONTROL_ID.matcher(text);
  while (m.find()) {
    const raw = rawOf(m);
    if (!raw) continue;
    // `MEASURE 2.8.1`, `A1.2.3.4`: a version or a section number, not a control.
    const isSocFocus = m.group('soc') !== null && m.group('socFocus') !== null;
    if (!isSocFocus && lookingAt(TRAILING_NUMBER, text.slice(raw.end, raw.end + 2))) continue;
    out.push(raw);
  }
  return out;
}

/** NIST functions and SOC 2's CC/PI criteria name their framework: `GOVERN 1.2 of our policy` is still NIST's. */
const selfNaming = (raw: RawId) => {
  const shape = raw.items[0]?.shape;
  return (
    shape?.kind === 'nist' || (shape?.kind === 'soc2' && (shape.series === 'CC' || shape.series === 'PI'))
  );
};

/**
 * Finds the control identifiers a text cites and the framework it names for each: the uid form names
 * its own; otherwise a name right before the id, a name right after it (unless that name opens the
 * next id), or the nearest name earlier on the same line (within 80 characters).
 */
export function extractCitations(text: string): Citation[] {
  const mentions = mentionsIn(text);
  const ids = rawIds(text);
  const opensNext = (mention: Mention, index: number) => {
    const next = ids[index + 1];
    return (
      next !== undefined &&
      next.start >= mention.end &&
      matches(ADJACENT_BEFORE, text.slice(mention.end, next.start))
    );
  };
  const out: Citation[] = [];
  // Ids and mentions both come in text order: one cursor walks the mentions once.
  let cursor = 0;
  ids.forEach((raw, index) => {
    while (cursor < mentions.length && (mentions[cursor]?.end ?? Infinity) <= raw.start) cursor++;
    let named: Citation['named'] = raw.prefix ?? null;
    let adjacent = raw.prefix !== undefined;
    if (!raw.prefix) {
      const before = mentions[cursor - 1];
      const after = mentions
        .slice(cursor, cursor + 3)
        .find((x) => x.start >= raw.end && x.start - raw.end <= AFTER);
      const gapBefore = before ? text.slice(before.end, raw.start) : '';
      if (before && matches(ADJACENT_BEFORE, gapBefore)) {
        named = before.framework;
        adjacent = true;
      } else if (
        after &&
        matches(ADJACENT_AFTER, text.slice(raw.end, after.start)) &&
        !opensNext(after, index)
      ) {
        named = after.framework;
        adjacent = true;
      } else if (!selfNaming(raw) && lookingAt(OTHER_AFTER, text.slice(raw.end, raw.end + 40))) {
        named = 'other';
        adjacent = true;
      } else if (before && raw.start - before.end <= WINDOW && !LINE_BREAK.matcher(gapBefore).find()) {
        named = before.framework;
      }
    }
    for (const item of raw.items)
      out.push({
        text: item.text,
        start: raw.start,
        end: raw.end,
        shape: item.shape,
        named,
        adjacent,
        ...(item.titleCase ? { titleCase: true } : {}),
      });
  });
  return out;
}
