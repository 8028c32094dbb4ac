// Small validators used by the recognisers; each one answers "is this candidate really that entity?".

/** Luhn (mod 10) check over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the card networks in common use (ISO/IEC 7812 IIN ranges). */
export function cardPrefixValid(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if (p2 >= 51 && p2 <= 55) return n === 16;
  if (p4 >= 2221 && p4 <= 2720) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
    return n >= 16 && n <= 19;
  }
  if (p2 === 62) return n >= 16 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return n >= 14 && n <= 19;
  if (['50', '56', '57', '58', '67'].includes(digits.slice(0, 2))) return n >= 12 && n <= 19;
  return false;
}

/** SSA rules: area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  return group !== '00' && serial !== '0000';
}

/** True when a JWT segment decodes (base64url) to a JSON object. */
export function jwtSegmentIsJson(segment: string): boolean {
  try {
    const json = Buffer.from(segment, 'base64url').toString('utf8');
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Real secrets mix character classes; words joined by dashes ("sk-learn-tutorial…") do not. */
export function looksRandom(body: string): boolean {
  return /[A-Z]/.test(body) && /[a-z]/.test(body) && /\d/.test(body);
}

/** Lower-cased window of text just before a position, for context words. */
export function before(text: string, start: number, width = 32): string {
  return text.slice(Math.max(0, start - width), start).toLowerCase();
}
