import type { PackLimits } from './limits.js';
import { UnusablePackError } from './report.js';

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
const MAX_COMMENT = 0xffff;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a ZIP central directory (APPNOTE 4.3) without inflating anything, refusing ZIP64,
 * encryption, multi-disk archives and entries whose data lies outside the archive.
 */
export function readZipDirectory(zip: Uint8Array, limits: PackLimits): ZipEntry[] {
  if (zip.length > limits.archiveBytes)
    throw new UnusablePackError(`archive is ${zip.length} bytes, above the limit of ${limits.archiveBytes}`);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = findEndOfDirectory(view);
  if (eocd < 0) throw new UnusablePackError('not a ZIP archive, or the archive is truncated');
  const disk = view.getUint16(eocd + 4, true);
  const count = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryStart = view.getUint32(eocd + 16, true);
  if (disk !== 0 || view.getUint16(eocd + 8, true) !== count)
    throw new UnusablePackError('multi-disk ZIP archives are not supported');
  if (count === 0xffff || directoryStart === 0xffffffff)
    throw new UnusablePackError('ZIP64 archives are not supported');
  if (count > limits.entries)
    throw new UnusablePackError(`archive has ${count} entries, above the limit of ${limits.entries}`);
  if (directoryStart + directorySize > eocd)
    throw new UnusablePackError('ZIP central directory lies outside the archive (truncated?)');
  const entries: ZipEntry[] = [];
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL)
      throw new UnusablePackError('ZIP central directory is corrupt');
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > eocd) throw new UnusablePackError('ZIP central directory is corrupt');
    if (flags & 1) throw new UnusablePackError('encrypted ZIP entries are not supported');
    const entry = {
      name: decodeName(zip.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      dataStart: localDataStart(view, view.getUint32(at + 42, true)),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff)
      throw new UnusablePackError('ZIP64 entries are not supported');
    if (entry.dataStart + entry.compressedSize > zip.length)
      throw new UnusablePackError(`entry ${JSON.stringify(entry.name)} extends past the end of the archive`);
    entries.push(entry);
    at = next;
  }
  return entries;
}

function findEndOfDirectory(view: DataView): number {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === EOCD && at + 22 + view.getUint16(at + 20, true) === view.byteLength)
      return at;
  }
  return -1;
}

function localDataStart(view: DataView, offset: number): number {
  if (offset + 30 > view.byteLength || view.getUint32(offset, true) !== LOCAL)
    throw new UnusablePackError('ZIP local header missing (truncated or corrupt archive)');
  return offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
}

function decodeName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  }
}
