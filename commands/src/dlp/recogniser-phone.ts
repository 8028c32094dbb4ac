import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { before } from './checks.js';
import type { Finding } from './types.js';

/** Countries whose national formats are recognised without a leading `+`. */
export const DEFAULT_PHONE_COUNTRIES: readonly CountryCode[] = ['US', 'GB', 'DE', 'FR'];

// A run of phone characters that starts with "+", "(" or a digit and ends with a digit.
const CANDIDATE = /(?<![\w/.+-])(?:\+|\()?\d[\d ().-]{5,22}\d(?![\w-]|[.,]\d)/g;
const PHONE_CONTEXT =
  /\b(phone|tel|telephone|call|calling|mobile|mobil|cell|fax|whatsapp|sms|text me|reach me|ring|contact|number is|dial|appelez)\b/;
const NOT_PHONE_CONTEXT =
  /\b(order|invoice|ticket|sku|ref|reference|tracking|serial|account|acct|id|part|product|code|model|item|batch|lot|po|case|build|version|txn|transaction)\s*(no\.?|number|num|#|:)?\s*#?\s*:?\s*$/;
const DATE = /\d{4}[-./]\d{1,2}[-./]\d{1,2}|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/;
// The SSN layout is never used for phone numbers.
const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/;
const FORMATTED = /^\+|^\(?\d+\)?[ .-]\d|\d[ .-]\d+[ .-]\d/;

function cheapChecks(raw: string, context: string): boolean {
  if (DATE.test(raw) || SSN_SHAPE.test(raw) || NOT_PHONE_CONTEXT.test(context)) return false;
  const digits = raw.replace(/\D/g, '').length;
  if (digits > 15 || digits < (raw.startsWith('+') ? 7 : 9)) return false;
  // Bare digit runs are order numbers and ids far more often than phone numbers.
  return FORMATTED.test(raw) || PHONE_CONTEXT.test(context);
}

function validIn(raw: string, countries: readonly CountryCode[]): boolean {
  if (raw.startsWith('+')) return parsePhoneNumberFromString(raw)?.isValid() === true;
  return countries.some((country) => parsePhoneNumberFromString(raw, country)?.isValid() === true);
}

/**
 * Phone numbers, validated against libphonenumber's full metadata (so a number must exist in some
 * country's numbering plan). Cheap shape and context checks run first: parsing is the costly part of a scan.
 */
export function findPhones(
  text: string,
  countries: readonly CountryCode[] = DEFAULT_PHONE_COUNTRIES,
): Finding[] {
  const out: Finding[] = [];
  CANDIDATE.lastIndex = 0;
  for (let c = CANDIDATE.exec(text); c !== null; c = CANDIDATE.exec(text)) {
    let raw = c[0];
    let start = c.index;
    if (raw.startsWith('(') && !raw.includes(')')) {
      raw = raw.slice(1);
      start++;
    }
    if (!cheapChecks(raw, before(text, start, 40))) continue;
    if (validIn(raw, countries)) out.push({ type: 'PHONE', start, end: start + raw.length });
  }
  return out;
}
