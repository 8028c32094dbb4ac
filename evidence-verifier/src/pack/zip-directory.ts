import type { PackLimits } from './limits.js';
import { UnusablePackError } from './report.js';
import { type PackSource, readExactly } from './source.js';

/** One entry of a ZIP central directory, with the location of its (compressed) data. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;
/** A central-directory record is 46 bytes plus a name, an extra field and a comment of up to 64 KiB each. */
const MAX_RECORD = 46 + 3 * 0xffff;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Reads a ZIP central directory (APPNOTE 4.3) without inflating anything, refusing ZIP64,
 * encryption, multi-disk archives and entries whose data lies outside the archive. It reads only
 * the archive's tail, the directory and each local header, so its cost does not grow with the
 * archive's size.
 */
export async function readZipDirectory(source: PackSource, limits: PackLimits): Promise<ZipEntry[]> {
  const archiveSize = source.size;
  if (archiveSize > limits.archiveBytes)
    throw new UnusablePackError(`archive is ${archiveSize} bytes, above the limit of ${limits.archiveBytes}`);
  const tailStart = Math.max(0, archiveSize - EOCD_BYTES - MAX_COMMENT);
  const tail = await readExactly(source, tailStart, archiveSize - tailStart);
  const found = tail ? findEndOfDirectory(viewOf(tail)) : -1;
  if (!tail || found < 0) throw new UnusablePackError('not a ZIP archive, or the archive is truncated');
  const view = viewOf(tail);
  const eocd = tailStart + found;
  const disk = view.getUint16(found + 4, true);
  const count = view.getUint16(found + 10, true);
  const directorySize = view.getUint32(found + 12, true);
  const directoryStart = view.getUint32(found + 16, true);
  if (disk !== 0 || view.getUint16(found + 8, true) !== count)
    throw new UnusablePackError('multi-disk ZIP archives are not supported');
  if (count === 0xffff || directoryStart === 0xffffffff)
    throw new UnusablePackError('ZIP64 archives are not supported');
  if (count > limits.entries)
    throw new UnusablePackError(`archive has ${count} entries, above the limit of ${limits.entries}`);
  if (directoryStart + directorySize > eocd)
    throw new UnusablePackError('ZIP central directory lies outside the archive (truncated?)');
  // The count is bounded, so a directory claiming more than its records could hold is corrupt;
  // refusing it keeps what is read here small whatever the archive says.
  if (directorySize > count * MAX_RECORD) throw new UnusablePackError('ZIP central directory is corrupt');
  const directory = await readExactly(source, directoryStart, directorySize);
  if (!directory) throw new UnusablePackError('ZIP central directory lies outside the archive (truncated?)');
  const dir = viewOf(directory);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directorySize || dir.getUint32(at, true) !== CENTRAL)
      throw new UnusablePackError('ZIP central directory is corrupt');
    const flags = dir.getUint16(at + 8, true);
    const nameLength = dir.getUint16(at + 28, true);
    const next = at + 46 + nameLength + dir.getUint16(at + 30, true) + dir.getUint16(at + 32, true);
    if (next > directorySize) throw new UnusablePackError('ZIP central directory is corrupt');
    if (flags & 1) throw new UnusablePackError('encrypted ZIP entries are not supported');
    const entry = {
      name: decodeName(directory.subarray(at + 46, at + 46 + nameLength)),
      method: dir.getUint16(at + 10, true),
      compressedSize: dir.getUint32(at + 20, true),
      size: dir.getUint32(at + 24, true),
      dataStart: await localDataStart(source, dir.getUint32(at + 42, true)),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff)
      throw new UnusablePackError('ZIP64 entries are not supported');
    if (entry.dataStart + entry.compressedSize > archiveSize)
      throw new UnusablePackError(`entry ${JSON.stringify(entry.name)} extends past the end of the archive`);
    entries.push(entry);
    at = next;
  }
  return entries;
}

function findEndOfDirectory(view: DataView): number {
  const last = view.byteLength - EOCD_BYTES;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (
      view.getUint32(at, true) === EOCD &&
      at + EOCD_BYTES + view.getUint16(at + 20, true) === view.byteLength
    )
      return at;
  }
  return -1;
}

async function localDataStart(source: PackSource, offset: number): Promise<number> {
  const header = await readExactly(source, offset, 30);
  const view = header && viewOf(header);
  if (!view || view.getUint32(0, true) !== LOCAL)
    throw new UnusablePackError('ZIP local header missing (truncated or corrupt archive)');
  return offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

function decodeName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  }
}
