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
