import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { open } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The backup file (docs/decisions/0036): a magic line, a JSON header line, then frames of gzipped
 * NDJSON, each sealed with AES-256-GCM under a key scrypt derives from the operator's passphrase. A
 * frame's associated data binds the header, its index and whether it is the last, so frames cannot be
 * reordered, dropped, moved between files or cut off at the end without the restore noticing.
 */
export const MAGIC = 'PROOFPANE-BACKUP 1\n';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt cost: about 100 ms and 32 MiB, once per backup or restore. */
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;

export interface BackupHeader {
  format: 1;
  createdAt: string;
  /** Set for a one-org backup. */
  org: string | null;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: 'aes-256-gcm';
}

export function deriveKey(passphrase: string, header: BackupHeader): Buffer {
  const { N, r, p, salt } = header.kdf;
  return scryptSync(passphrase, Buffer.from(salt, 'base64'), 32, { N, r, p, maxmem: 128 * N * r * 2 });
}

function additionalData(headerLine: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index));
  tail.writeUInt8(last ? 1 : 0, 8);
  return Buffer.concat([headerLine, tail]);
}

/** Seals records frame by frame; `write` receives the file's bytes in order. */
export class BackupWriter {
  private readonly key: Buffer;
  private readonly headerLine: Buffer;
  private index = 0;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    passphrase: string,
    readonly header: Omit<BackupHeader, 'kdf' | 'cipher' | 'format'>,
    private readonly write: (bytes: Buffer) => Promise<void>,
    private readonly frameBytes = 1 << 20,
  ) {
    const full: BackupHeader = {
      format: 1,
      ...header,
      kdf: { name: 'scrypt', ...KDF, salt: randomBytes(16).toString('base64') },
      cipher: 'aes-256-gcm',
    };
    this.headerLine = Buffer.from(`${JSON.stringify(full)}\n`);
    this.key = deriveKey(passphrase, full);
  }

  async start(): Promise<void> {
    await this.write(Buffer.concat([Buffer.from(MAGIC), this.headerLine]));
  }

  async record(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= this.frameBytes) await this.flush(false);
  }

  async finish(): Promise<void> {
    await this.flush(true);
  }

  private async flush(last: boolean): Promise<void> {
    const plain = gzipSync(Buffer.from(this.pending.join('')));
    this.pending = [];
    this.pendingBytes = 0;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(additionalData(this.headerLine, this.index, last));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(5);
    length.writeUInt32BE(sealed.length);
    length.writeUInt8(last ? 1 : 0, 4);
    await this.write(Buffer.concat([length, nonce, sealed, cipher.getAuthTag()]));
    this.index += 1;
  }
}

export class BackupFormatError extends Error {}

/** Random access to a backup's bytes: a file read piece by piece, or a buffer already in memory. */
export interface BackupSource {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
}

export function bufferSource(bytes: Buffer): BackupSource {
  return {
    size: bytes.length,
    read: async (position, length) => bytes.subarray(position, position + length),
  };
}

/** Reads a file a frame at a time, so a restore holds one frame in memory, never the whole file. */
export async function fileSource(path: string): Promise<BackupSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (position, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/** The header line is JSON of a few hundred bytes; more than this is not a backup this version wrote. */
const HEADER_LIMIT = 64 * 1024;
const HEADER_PIECE = 4096;
/** A frame holds about a megabyte of records before gzip; a length far above it is damage, not data. */
const FRAME_LIMIT = 256 * 1024 * 1024;

/** Reads the header of a backup. */
export async function readHeader(
  source: BackupSource,
): Promise<{ header: BackupHeader; body: number; headerLine: Buffer }> {
  let start = await source.read(0, HEADER_PIECE);
  if (start.subarray(0, MAGIC.length).toString() !== MAGIC)
    throw new BackupFormatError('not a Proofpane backup');
  let end = start.indexOf(0x0a, MAGIC.length);
  while (end < 0 && start.length < HEADER_LIMIT && start.length < source.size) {
    start = Buffer.concat([start, await source.read(start.length, HEADER_PIECE)]);
    end = start.indexOf(0x0a, MAGIC.length);
  }
  if (end < 0) throw new BackupFormatError('the backup header is cut off');
  const headerLine = Buffer.from(start.subarray(MAGIC.length, end + 1));
  let header: BackupHeader;
  try {
    header = JSON.parse(headerLine.toString()) as BackupHeader;
  } catch {
    throw new BackupFormatError('the backup header is not JSON');
  }
  if (header.format !== 1 || header.cipher !== 'aes-256-gcm' || header.kdf?.name !== 'scrypt')
    throw new BackupFormatError('a backup format this version does not read');
  return { header, body: end + 1, headerLine };
}

/**
 * The records of a backup, frame by frame, each authenticated before it is parsed, reading one frame
 * at a time. Throws on a wrong key, a changed byte or a file that ends before its last frame: a
 * caller that applies records in one transaction, or reads them all once before applying, commits
 * nothing from a damaged file.
 */
export async function* readRecords(
  source: BackupSource,
  passphrase: string,
): AsyncGenerator<unknown, void, void> {
  const { header, body, headerLine } = await readHeader(source);
  const key = deriveKey(passphrase, header);
  let at = body;
  let index = 0;
  for (;;) {
    if (at + 5 + NONCE_BYTES + TAG_BYTES > source.size)
      throw new BackupFormatError('the backup ends before its last frame');
    const prefix = await source.read(at, 5 + NONCE_BYTES);
    const length = prefix.readUInt32BE(0);
    const last = prefix.readUInt8(4) === 1;
    const nonce = prefix.subarray(5, 5 + NONCE_BYTES);
    const sealedStart = at + 5 + NONCE_BYTES;
    if (length > FRAME_LIMIT) throw new BackupFormatError('a frame longer than any backup writes');
    if (sealedStart + length + TAG_BYTES > source.size)
      throw new BackupFormatError('the backup ends inside a frame');
    const frame = await source.read(sealedStart, length + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(additionalData(headerLine, index, last));
    decipher.setAuthTag(frame.subarray(length));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(frame.subarray(0, length)), decipher.final()]);
    } catch {
      throw new BackupFormatError('the backup does not open with this key, or it was changed');
    }
    at = sealedStart + length + TAG_BYTES;
    index += 1;
    if (last && at !== source.size) throw new BackupFormatError('bytes follow the last frame');
    for (const line of gunzipSync(plain).toString('utf8').split('\n')) if (line) yield JSON.parse(line);
    if (last) return;
  }
}
