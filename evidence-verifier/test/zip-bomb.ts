import { constants, deflateRawSync } from 'node:zlib';
import { ENTRY } from '../src/index.js';
import { type Entries, type RawEntry, rawZip } from './tamper.js';

const MiB = 2 ** 20;

/**
 * DEFLATE data that inflates to `mib` MiB of zeros, about 1 KiB per MiB. One MiB is compressed
 * once and its blocks repeated: they are not final and refer only to their own output, so any
 * number of copies, closed by an empty final block, is a valid stream. The bomb costs nothing to
 * build; only inflating it is expensive.
 */
export function deflatedZeros(mib: number): Uint8Array[] {
  const oneMiB = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_SYNC_FLUSH });
  return [...Array.from({ length: mib }, () => oneMiB), deflateRawSync(Buffer.alloc(0))];
}

/** A pack whose events.jsonl is `mib` MiB of zeros, declared as `declared` bytes (honestly by default). */
export function bombPack(entries: Entries, mib: number, declared = mib * MiB): Uint8Array {
  const raw: RawEntry[] = [ENTRY.manifest, ENTRY.signature, ENTRY.proofs].map((name) => {
    const data = entries.get(name)!;
    return { name, method: 8, data: [deflateRawSync(data)], size: data.length };
  });
  raw.splice(2, 0, { name: ENTRY.events, method: 8, data: deflatedZeros(mib), size: declared });
  return rawZip(raw);
}
