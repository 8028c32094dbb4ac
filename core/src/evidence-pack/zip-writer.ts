import { crc32, deflateRawSync } from 'node:zlib';

/** One file of an archive, given as chunks so large entries never become one string. */
export interface ZipInput {
  name: string;
  chunks: readonly Uint8Array[];
}

const LIMIT = 0xffffffff;

/**
 * Writes a plain ZIP (APPNOTE 4.3: DEFLATE, UTF-8 names, no ZIP64) whose bytes depend only on
 * its inputs and `mtime`, so the same pack built twice is byte-identical.
 */
export function writeZip(files: readonly ZipInput[], options: { mtime: Date; level?: number }): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const { time, date } = dosTime(options.mtime);
  let offset = 0;
  for (const file of files) {
    const data = file.chunks.length === 1 ? file.chunks[0]! : Buffer.concat(file.chunks);
    const compressed = deflateRawSync(data, { level: options.level ?? 6 });
    if (data.length > LIMIT || compressed.length > LIMIT || offset > LIMIT)
      throw new RangeError(`${file.name} is too large for a ZIP without ZIP64`);
    const name = Buffer.from(file.name, 'utf8');
    const fields = { crc: crc32(data), compressed: compressed.length, size: data.length, time, date };
    parts.push(header(0x04034b50, name, fields, undefined), compressed);
    central.push(header(0x02014b50, name, fields, offset));
    offset += 30 + name.length + compressed.length;
  }
  const directorySize = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

interface HeaderFields {
  crc: number;
  compressed: number;
  size: number;
  time: number;
  date: number;
}

function header(signature: number, name: Buffer, f: HeaderFields, localOffset: number | undefined): Buffer {
  const isCentral = localOffset !== undefined;
  const b = Buffer.alloc((isCentral ? 46 : 30) + name.length);
  b.writeUInt32LE(signature, 0);
  let at = 4;
  if (isCentral) {
    b.writeUInt16LE(20, at);
    at += 2;
  }
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(0x0800, at + 2);
  b.writeUInt16LE(8, at + 4);
  b.writeUInt16LE(f.time, at + 6);
  b.writeUInt16LE(f.date, at + 8);
  b.writeUInt32LE(f.crc, at + 10);
  b.writeUInt32LE(f.compressed, at + 14);
  b.writeUInt32LE(f.size, at + 18);
  b.writeUInt16LE(name.length, at + 22);
  if (isCentral) b.writeUInt32LE(localOffset, 42);
  name.copy(b, isCentral ? 46 : 30);
  return b;
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
