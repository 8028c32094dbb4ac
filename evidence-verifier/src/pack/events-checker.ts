import { decodeHexString, equalAt } from '../chain/hex-bytes.js';
import { CanonicalBytesScanner } from '../chain/jcs-bytes.js';
import { scanCanonicalObject } from '../chain/jcs-scan.js';
import type { Sha256 } from '../chain/sha256.js';
import { bytesShapeError, MEMBER, numberAt, textShapeError } from './envelope-shape.js';
import type { PackLimits } from './limits.js';
import type { CheckLog } from './report.js';

export interface EventsCheckerOptions {
  org: string;
  checkpointSize: number;
  sha256: Sha256;
  limits: PackLimits;
  log: CheckLog;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Where a well-formed line's hash input and hex fields lie, in the bytes `line` was given. */
interface LineFields {
  seq: number;
  /** The `,"hash":"…"` member to cut out before hashing: [cutFrom, cutTo). */
  cutFrom: number;
  cutTo: number;
  orgMatches: boolean;
}

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
  /** Whether the line before this one was an envelope, whose hash is then the last leaf. */
  private hasLast = false;
  private readonly prev = new Uint8Array(32);
  private readonly orgJson: string;
  private readonly orgJsonBytes: Uint8Array;
  private readonly scanner = new CanonicalBytesScanner();

  constructor(private readonly options: EventsCheckerOptions) {
    this.orgJson = JSON.stringify(options.org);
    this.orgJsonBytes = encoder.encode(this.orgJson);
  }

  push(bytes: Uint8Array): void {
    if (this.overflow) return;
    // A plain view: subarrays of it are cheaper than those of a Node Buffer, made for every line.
    const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let from = 0;
    const { lineBytes, depth } = this.options.limits;
    for (;;) {
      if (!this.carry) {
        // Scanning a canonical line finds its end too, sparing a search for the newline.
        const end = this.scanner.scanObject(chunk, from, depth);
        if (end > 0 && chunk[end] === 10 && end - from <= lineBytes) {
          this.lines++;
          this.fromBytes(chunk.subarray(from, end));
          from = end + 1;
          continue;
        }
      }
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
    if (bytes.length > this.options.limits.lineBytes) {
      this.options.log.fail(
        'events.format',
        `line ${this.lines} is longer than ${this.options.limits.lineBytes} bytes`,
      );
      this.hasLast = false;
      return;
    }
    if (this.scanner.scan(bytes, this.options.limits.depth)) this.fromBytes(bytes);
    else this.fromText(bytes);
  }

  /** The common case: a line the byte scanner vouches is canonical, read without decoding it. */
  private fromBytes(bytes: Uint8Array): undefined {
    const { spans, members } = this.scanner;
    const leafAt = this.nextLeaf();
    const decoded = { hash: this.leaves, hashAt: leafAt, prev: this.prev };
    const shapeError = bytesShapeError(bytes, spans, members, decoded);
    if (shapeError) return this.formatFailure(`line ${this.lines}: ${shapeError}`);
    const orgFrom = spans[3 * MEMBER.org + 1]!;
    const orgLength = spans[3 * MEMBER.org + 2]! - orgFrom;
    const orgMatches =
      orgLength === this.orgJsonBytes.length && equalAt(bytes, orgFrom, this.orgJsonBytes, 0, orgLength);
    this.check(bytes, leafAt, {
      seq: numberAt(bytes, spans, MEMBER.seq),
      cutFrom: spans[3 * MEMBER.data + 2]!,
      cutTo: spans[3 * MEMBER.hash + 2]!,
      orgMatches,
    });
  }

  /** Anything else: decoded and scanned as text, which also names what is wrong with it. */
  private fromText(bytes: Uint8Array): undefined {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return this.formatFailure(`line ${this.lines} is not valid UTF-8`);
    }
    const scan = scanCanonicalObject(text, this.options.limits.depth);
    if (!scan.ok)
      return this.formatFailure(`line ${this.lines} is not canonical JCS: ${scan.reason} at ${scan.at}`);
    const shapeError = textShapeError(text, scan.members);
    if (shapeError) return this.formatFailure(`line ${this.lines}: ${shapeError}`);
    const m = scan.members;
    const leafAt = this.nextLeaf();
    decodeHexString(
      text.slice(m[MEMBER.hash]!.valueStart + 1, m[MEMBER.hash]!.end - 1),
      32,
      this.leaves,
      leafAt,
    );
    decodeHexString(text.slice(m[MEMBER.prev]!.valueStart + 1, m[MEMBER.prev]!.end - 1), 32, this.prev, 0);
    const orgMatches = text.slice(m[MEMBER.org]!.valueStart, m[MEMBER.org]!.end) === this.orgJson;
    // Offsets into the text become offsets into its UTF-8 bytes.
    const cutFrom = m[MEMBER.data]!.end;
    const cutTo = m[MEMBER.hash]!.end;
    const byteFrom = encoder.encode(text.slice(0, cutFrom)).length;
    this.check(bytes, leafAt, {
      seq: Number(text.slice(m[MEMBER.seq]!.valueStart, m[MEMBER.seq]!.end)),
      cutFrom: byteFrom,
      cutTo: byteFrom + (cutTo - cutFrom),
      orgMatches,
    });
  }

  /** The per-event checks of an envelope whose hash is decoded at `leaves[leafAt]`, prev in `prev`. */
  private check(bytes: Uint8Array, leafAt: number, line: LineFields): void {
    const { log, checkpointSize } = this.options;
    const { seq } = line;
    if (!line.orgMatches) log.fail('events.org', `seq ${seq} belongs to another org than the pack's`, seq);
    const digest = this.options.sha256(this.cut(bytes, line.cutFrom, line.cutTo));
    if (!equalAt(digest, 0, this.leaves, leafAt, 32))
      log.fail('events.hash', `seq ${seq}: hash does not match the event's content`, seq);
    if (seq <= this.lastSeq)
      log.fail('events.order', `seq ${seq} follows seq ${this.lastSeq}; seqs must ascend`, seq);
    if (seq > checkpointSize)
      log.fail('events.range', `seq ${seq} is beyond the checkpoint size ${checkpointSize}`, seq);
    if (seq === 1 && !isZero(this.prev)) log.fail('events.prev', `seq 1 must have prev of 64 zeros`, seq);
    if (
      seq > 1 &&
      seq === this.lineSeq + 1 &&
      this.hasLast &&
      !equalAt(this.prev, 0, this.leaves, leafAt - 32, 32)
    )
      log.fail('events.prev', `seq ${seq}: prev does not equal the hash of seq ${this.lineSeq}`, seq);
    this.seqs.push(seq);
    this.lastSeq = Math.max(seq, this.lastSeq);
    this.lineSeq = seq;
    this.hasLast = true;
  }

  private formatFailure(message: string): undefined {
    this.options.log.fail('events.format', message);
    this.hasLast = false;
  }

  /** Where the next event's hash goes in `leaves`, growing it when full. */
  private nextLeaf(): number {
    const at = this.seqs.length * 32;
    if (at + 32 > this.leaves.length) {
      const bigger = new Uint8Array(this.leaves.length * 2);
      bigger.set(this.leaves);
      this.leaves = bigger;
    }
    return at;
  }

  private cut(bytes: Uint8Array, from: number, to: number): Uint8Array {
    const length = bytes.length - (to - from);
    if (this.scratch.length < length) this.scratch = new Uint8Array(length * 2);
    this.scratch.set(bytes.subarray(0, from));
    this.scratch.set(bytes.subarray(to), from);
    return this.scratch.subarray(0, length);
  }
}

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
