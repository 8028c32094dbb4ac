import { unzipSync } from 'fflate';
import { writeZip } from '../../core/src/evidence-pack/index.js';
import { canonicalJson, ENTRY } from '../src/index.js';

/** A pack's entries by name, to be edited and zipped again. */
export type Entries = Map<string, Uint8Array>;

const MTIME = new Date('2026-03-02T00:00:00.000Z');

export function unpack(zip: Uint8Array): Entries {
  return new Map(Object.entries(unzipSync(zip)));
}

export function repack(entries: Entries): Uint8Array {
  return writeZip(
    [...entries].map(([name, data]) => ({ name, chunks: [data] })),
    { mtime: MTIME },
  );
}

export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export const bytes = (value: string) => new TextEncoder().encode(value);

/** Rewrites events.jsonl line by line; `edit` returns the new lines for one line (none removes it). */
export function editLines(entries: Entries, edit: (line: string, index: number) => string[]): Entries {
  const lines = text(entries.get(ENTRY.events)!).split('\n').slice(0, -1);
  const out = lines.flatMap((line, i) => edit(line, i));
  return new Map(entries).set(ENTRY.events, bytes(out.map((l) => `${l}\n`).join('')));
}

/** Changes one member of the event at `seq`, keeping the line canonical JCS. */
export function editEvent(
  entries: Entries,
  seq: number,
  change: (event: Record<string, unknown>) => void,
): Entries {
  return editLines(entries, (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    if (event.seq !== seq) return [line];
    change(event);
    return [canonicalJson(event)];
  });
}

export function editJson(
  entries: Entries,
  name: string,
  change: (value: Record<string, unknown>) => void,
): Entries {
  const value = JSON.parse(text(entries.get(name)!)) as Record<string, unknown>;
  change(value);
  return new Map(entries).set(name, bytes(`${JSON.stringify(value, null, 2)}\n`));
}

/** Overwrites the uncompressed size in the central-directory record of `name`. */
export function patchDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = out.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    if (text(out.subarray(at + 46, at + 46 + nameLength)) === name) {
      view.setUint32(at + 24, size, true);
      return out;
    }
  }
  throw new Error(`no entry ${name}`);
}

/**
 * The same archive as it would sit `by` bytes into a file: every offset the central directory and
 * its end record hold is moved by `by`, so the archive reads correctly after that many bytes of
 * anything (ZIP allows data before the first entry, as self-extracting archives have).
 */
export function shiftZip(zip: Uint8Array, by: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const eocd = out.length - 22;
  if (view.getUint32(eocd, true) !== 0x06054b50) throw new Error('archive has a comment or is not a ZIP');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  view.setUint32(eocd + 16, at + by, true);
  for (let i = 0; i < count; i++) {
    view.setUint32(at + 42, view.getUint32(at + 42, true) + by, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

/** An entry given as it is stored: `data` already compressed with `method`, inflating to `size`. */
export interface RawEntry {
  name: string;
  method: 0 | 8;
  data: Uint8Array[];
  size: number;
}

/**
 * A ZIP of entries whose stored bytes and declared sizes are set by hand, as a hostile archive
 * would set them. CRC-32s are left 0: the format does not check them (the manifest's hashes do).
 */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = bytes(entry.name);
    const compressed = entry.data.reduce((n, d) => n + d.length, 0);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, entry.method, true);
    lv.setUint32(18, compressed, true);
    lv.setUint32(22, entry.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const record = new Uint8Array(46 + name.length);
    const cv = new DataView(record.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, entry.method, true);
    cv.setUint32(20, compressed, true);
    cv.setUint32(24, entry.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    record.set(name, 46);
    parts.push(local, ...entry.data);
    central.push(record);
    offset += local.length + compressed;
  }
  const directorySize = central.reduce((n, r) => n + r.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + 22);
  let at = 0;
  for (const part of [...parts, ...central, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
