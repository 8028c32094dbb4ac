import { decodeHexBytes } from '../chain/hex-bytes.js';
import type { MemberSpan } from '../chain/jcs-scan.js';

/** The envelope's members in JCS order; `hash` is third, right after `data`. */
export const MEMBERS = [
  'actor',
  'data',
  'hash',
  'id',
  'meta',
  'org',
  'prev',
  'seq',
  'subject',
  'subjectVersion',
  'time',
  'type',
] as const;
export const MEMBER = { data: 1, hash: 2, org: 5, prev: 6, seq: 7, subjectVersion: 9 } as const;

const OBJECT = 0;
const NUMBER = 1;
const STRING = 2;
const KIND = [OBJECT, OBJECT, STRING, STRING, OBJECT, STRING, STRING, NUMBER, STRING, NUMBER, STRING, STRING];
const MEMBER_BYTES = MEMBERS.map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));
const WRONG_MEMBERS = `envelope members must be exactly ${MEMBERS.join(', ')}`;

/** Why a canonical line (as text, with its member spans) is not an envelope, if it is not. */
export function textShapeError(text: string, members: MemberSpan[]): string | undefined {
  if (members.length !== MEMBERS.length) return WRONG_MEMBERS;
  for (let i = 0; i < MEMBERS.length; i++) {
    const m = members[i]!;
    if (m.key !== MEMBERS[i]) return WRONG_MEMBERS;
    if (!hasKind(KIND[i]!, text.charCodeAt(m.valueStart))) return `member "${m.key}" has the wrong JSON type`;
  }
  const seq = Number(text.slice(members[MEMBER.seq]!.valueStart, members[MEMBER.seq]!.end));
  if (!Number.isSafeInteger(seq) || seq < 1) return 'seq must be a positive integer';
  const version = members[MEMBER.subjectVersion]!;
  if (!Number.isSafeInteger(Number(text.slice(version.valueStart, version.end))))
    return 'subjectVersion must be an integer';
  for (const i of [MEMBER.hash, MEMBER.prev]) {
    const m = members[i]!;
    if (m.end - m.valueStart !== 66 || !isLowerHex(text, m.valueStart + 1, 64))
      return `${m.key} must be 64 lower-case hex`;
  }
  return undefined;
}

/**
 * The same verdict as `textShapeError`, on the UTF-8 bytes of a canonical line and its member
 * spans ([start, valueStart, end] per member, in byte offsets). Checking the hex of `hash` and
 * `prev` decodes them, into `hash[hashAt]` and `prev[0]`.
 */
export function bytesShapeError(
  bytes: Uint8Array,
  spans: Int32Array,
  count: number,
  decoded: { hash: Uint8Array; hashAt: number; prev: Uint8Array },
): string | undefined {
  if (count !== MEMBERS.length) return WRONG_MEMBERS;
  for (let i = 0; i < MEMBERS.length; i++) {
    const start = spans[3 * i]!;
    const valueStart = spans[3 * i + 1]!;
    const name = MEMBER_BYTES[i]!;
    // The name sits between the quote at `start` and the `":` just before the value.
    if (valueStart - start - 3 !== name.length) return WRONG_MEMBERS;
    for (let k = 0; k < name.length; k++) if (bytes[start + 1 + k] !== name[k]) return WRONG_MEMBERS;
    if (!hasKind(KIND[i]!, bytes[valueStart]!)) return `member "${MEMBERS[i]}" has the wrong JSON type`;
  }
  const seq = numberAt(bytes, spans, MEMBER.seq);
  if (!Number.isSafeInteger(seq) || seq < 1) return 'seq must be a positive integer';
  if (!Number.isSafeInteger(numberAt(bytes, spans, MEMBER.subjectVersion)))
    return 'subjectVersion must be an integer';
  if (!hexMember(bytes, spans, MEMBER.hash, decoded.hash, decoded.hashAt))
    return 'hash must be 64 lower-case hex';
  if (!hexMember(bytes, spans, MEMBER.prev, decoded.prev, 0)) return 'prev must be 64 lower-case hex';
  return undefined;
}

/** The number that is the value of member `i` (a canonical JSON number). */
export function numberAt(bytes: Uint8Array, spans: Int32Array, i: number): number {
  const from = spans[3 * i + 1]!;
  const to = spans[3 * i + 2]!;
  let value = 0;
  let plain = to - from <= 15;
  for (let k = from; k < to && plain; k++) {
    const digit = bytes[k]! - 48;
    plain = digit >= 0 && digit <= 9;
    value = value * 10 + digit;
  }
  if (plain) return value;
  let token = '';
  for (let k = from; k < to; k++) token += String.fromCharCode(bytes[k]!);
  return Number(token);
}

function hasKind(kind: number, first: number): boolean {
  if (kind === OBJECT) return first === 123;
  if (kind === NUMBER) return first === 45 || (first >= 48 && first <= 57);
  return first === 34;
}

function isLowerHex(text: string, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (!isLowerHexCode(text.charCodeAt(i))) return false;
  return true;
}

/** Is member `i` a string of 64 lower-case hex? Decodes it into `out[at]` on the way. */
function hexMember(bytes: Uint8Array, spans: Int32Array, i: number, out: Uint8Array, at: number): boolean {
  const valueStart = spans[3 * i + 1]!;
  return spans[3 * i + 2]! - valueStart === 66 && decodeHexBytes(bytes, valueStart + 1, 32, out, at);
}

const isLowerHexCode = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
