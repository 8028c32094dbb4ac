import { GENESIS_PREV } from '../chain/envelope.js';
import { decodeHexString, equalAt } from '../chain/hex-bytes.js';
import { type MemberSpan, scanCanonicalObject } from '../chain/jcs-scan.js';
import type { Sha256 } from '../chain/sha256.js';
import type { PackLimits } from './limits.js';
import type { CheckLog } from './report.js';

/** The envelope's members in JCS order; `hash` is third, right after `data`. */
const MEMBERS = [
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
const OBJECT = 0;
const NUMBER = 1;
const STRING = 2;
const KIND = [OBJECT, OBJECT, STRING, STRING, OBJECT, STRING, STRING, NUMBER, STRING, NUMBER, STRING, STRING];

export interface EventsCheckerOptions {
  org: string;
  checkpointSize: number;
  sha256: Sha256;
  limits: PackLimits;
  log: CheckLog;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Checks events.jsonl as it streams in: each line canonical JCS of a complete envelope, its hash,
 * its org, ascending seqs within the checkpoint, and `prev` links between consecutive seqs.
 * Keeps each event's seq and claimed hash for the inclusion proofs.
 */
export class EventsChecker {
  lines = 0;
  readonly seqs: number[] = [];
  leaves = new Uint8Array(32 * 1024);
  private carry: Uint8Array | undefined;
  private scratch = new Uint8Array(4096);
  private overflow = false;
  private lastSeq = 0;
  private lineSeq = 0;
  private lastHash: string | undefined;
  private readonly orgJson: string;

  constructor(private readonly options: EventsCheckerOptions) {
    this.orgJson = JSON.stringify(options.org);
  }

  push(chunk: Uint8Array): void {
    if (this.overflow) return;
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      if (this.carry) {
        const line = concat(this.carry, chunk.subarray(from, nl));
        this.carry = undefined;
        this.line(line);
      } else {
        this.line(chunk.subarray(from, nl));
      }
      from = nl + 1;
    }
    if (from < chunk.length) {
      const rest = chunk.subarray(from);
      this.carry = this.carry ? concat(this.carry, rest) : rest.slice();
      if (this.carry.length > this.options.limits.lineBytes) {
        this.overflow = true;
        this.carry = undefined;
        this.options.log.fail(
          'events.format',
          `line ${this.lines + 1} is longer than ${this.options.limits.lineBytes} bytes; reading stopped`,
        );
      }
    }
  }

  finish(): void {
    if (this.carry) {
      this.options.log.fail(
        'events.format',
        `line ${this.lines + 1} does not end with a newline (events.jsonl truncated?)`,
      );
      this.carry = undefined;
    }
  }

  private line(bytes: Uint8Array): void {
    this.lines++;
    const { log } = this.options;
    if (bytes.length > this.options.limits.lineBytes) {
      log.fail('events.format', `line ${this.lines} is longer than ${this.options.limits.lineBytes} bytes`);
      this.breakChain();
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      log.fail('events.format', `line ${this.lines} is not valid UTF-8`);
      this.breakChain();
      return;
    }
    const scan = scanCanonicalObject(text, this.options.limits.depth);
    if (!scan.ok) {
      log.fail('events.format', `line ${this.lines} is not canonical JCS: ${scan.reason} at ${scan.at}`);
      this.breakChain();
      return;
    }
    const shapeError = checkShape(text, scan.members);
    if (shapeError) {
      log.fail('events.format', `line ${this.lines}: ${shapeError}`);
      this.breakChain();
      return;
    }
    const m = scan.members;
    const seq = Number(text.slice(m[7]!.valueStart, m[7]!.end));
    const hash = text.slice(m[2]!.valueStart + 1, m[2]!.end - 1);
    const prev = text.slice(m[6]!.valueStart + 1, m[6]!.end - 1);

    if (text.slice(m[5]!.valueStart, m[5]!.end) !== this.orgJson)
      log.fail('events.org', `seq ${seq} belongs to another org than the pack's`, seq);
    const cutFrom = m[1]!.end;
    const cutTo = m[2]!.end;
    const input =
      text.length === bytes.length
        ? this.cut(bytes, cutFrom, cutTo)
        : encoder.encode(text.slice(0, cutFrom) + text.slice(cutTo));
    const digest = this.options.sha256(input);
    const at = this.seqs.length * 32;
    if (at + 32 > this.leaves.length) this.grow();
    decodeHexString(hash, 32, this.leaves, at);
    if (!equalAt(digest, 0, this.leaves, at, 32))
      log.fail('events.hash', `seq ${seq}: hash does not match the event's content`, seq);
    if (seq <= this.lastSeq)
      log.fail('events.order', `seq ${seq} follows seq ${this.lastSeq}; seqs must ascend`, seq);
    if (seq > this.options.checkpointSize)
      log.fail(
        'events.range',
        `seq ${seq} is beyond the checkpoint size ${this.options.checkpointSize}`,
        seq,
      );
    if (seq === 1 && prev !== GENESIS_PREV) log.fail('events.prev', `seq 1 must have prev of 64 zeros`, seq);
    if (seq > 1 && seq === this.lineSeq + 1 && this.lastHash !== undefined && prev !== this.lastHash)
      log.fail('events.prev', `seq ${seq}: prev does not equal the hash of seq ${this.lineSeq}`, seq);
    this.seqs.push(seq);
    this.lastSeq = Math.max(seq, this.lastSeq);
    this.lineSeq = seq;
    this.lastHash = hash;
  }

  private cut(bytes: Uint8Array, from: number, to: number): Uint8Array {
    const length = bytes.length - (to - from);
    if (this.scratch.length < length) this.scratch = new Uint8Array(length * 2);
    this.scratch.set(bytes.subarray(0, from));
    this.scratch.set(bytes.subarray(to), from);
    return this.scratch.subarray(0, length);
  }

  private breakChain(): void {
    this.lastHash = undefined;
  }

  private grow(): void {
    const bigger = new Uint8Array(this.leaves.length * 2);
    bigger.set(this.leaves);
    this.leaves = bigger;
  }
}

function checkShape(text: string, members: MemberSpan[]): string | undefined {
  if (members.length !== MEMBERS.length) return `envelope members must be exactly ${MEMBERS.join(', ')}`;
  for (let i = 0; i < MEMBERS.length; i++) {
    const m = members[i]!;
    if (m.key !== MEMBERS[i]) return `envelope members must be exactly ${MEMBERS.join(', ')}`;
    const first = text.charCodeAt(m.valueStart);
    const kind = KIND[i]!;
    if (kind === OBJECT ? first !== 123 : kind === NUMBER ? !isIntegerStart(first) : first !== 34)
      return `member "${m.key}" has the wrong JSON type`;
  }
  const seq = Number(text.slice(members[7]!.valueStart, members[7]!.end));
  if (!Number.isSafeInteger(seq) || seq < 1) return 'seq must be a positive integer';
  if (!Number.isSafeInteger(Number(text.slice(members[9]!.valueStart, members[9]!.end))))
    return 'subjectVersion must be an integer';
  for (const i of [2, 6]) {
    const m = members[i]!;
    if (m.end - m.valueStart !== 66 || !isLowerHex(text, m.valueStart + 1, 64))
      return `${m.key} must be 64 lower-case hex`;
  }
  return undefined;
}

const isIntegerStart = (c: number) => c === 45 || (c >= 48 && c <= 57);

function isLowerHex(text: string, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
