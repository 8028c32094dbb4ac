import { normalise } from './normalise.js';
import type { Recogniser } from './recogniser.js';
import { findPhones } from './recogniser-phone.js';
import { creditCard, email, iban, ipv4, ipv6, usSsn } from './recognisers-pii.js';
import { apiSecrets, jwt, privateKey } from './recognisers-secrets.js';
import type { EntityType, Finding } from './types.js';

const RECOGNISERS: Recogniser[] = [
  privateKey,
  jwt,
  ...apiSecrets,
  email,
  iban,
  creditCard,
  ...usSsn,
  ipv4,
  ipv6,
];

// When two findings overlap, the earlier type in this list wins (a key containing digits is a key, not a phone).
const PRIORITY: EntityType[] = [
  'PRIVATE_KEY',
  'JWT',
  'API_SECRET',
  'EMAIL',
  'IBAN',
  'CREDIT_CARD',
  'US_SSN',
  'IP_ADDRESS',
  'PHONE',
];

function runRecogniser(recogniser: Recogniser, text: string, out: Finding[]): void {
  const pattern = recogniser.pattern;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (recogniser.validate && !recogniser.validate(m, text)) continue;
    let start = m.index;
    let end = m.index + m[0].length;
    if (recogniser.group) {
      const g = recogniser.group.find((i) => m[i] !== undefined);
      if (g === undefined) continue;
      const value = m[g]!;
      start = m.index + m[0].lastIndexOf(value);
      end = start + value.length;
    }
    out.push({ type: recogniser.type, start, end });
  }
}

function resolveOverlaps(findings: Finding[]): Finding[] {
  const ranked = [...findings].sort(
    (a, b) => PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type) || b.end - b.start - (a.end - a.start),
  );
  const kept: Finding[] = [];
  for (const f of ranked) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Every sensitive value in `text`, as non-overlapping spans in text order. Recognisers run on the
 * NFKC form (`jane＠example.com` is an email); the spans are of `text` itself, so masking replaces
 * the original characters and restoring brings them back unchanged.
 */
export function scan(text: string): Finding[] {
  const view = normalise(text);
  const found: Finding[] = [];
  for (const recogniser of RECOGNISERS) runRecogniser(recogniser, view.text, found);
  found.push(...findPhones(view.text));
  return resolveOverlaps(found).map((f) => ({ type: f.type, ...view.toOriginal(f.start, f.end) }));
}
