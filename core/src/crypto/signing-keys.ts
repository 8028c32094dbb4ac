import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from './sha256.js';

/** Signs checkpoints and evidence-pack manifests; its public key is what auditors pin. */
export interface Signer {
  keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

export interface PublishedKey {
  keyId: string;
  /** base64 of the raw 32-byte key */
  publicKey: string;
  status: 'current' | 'retired';
  from: string;
  until: string | null;
}

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const keyIdOf = (publicKey: Uint8Array): string => sha256Hex(publicKey).slice(0, 16);

export function rawPublicKey(key: KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('PROOFPANE_SIGNING_KEY must be a base64 Ed25519 seed of 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

const seedOf = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);

export function signerFromPrivateKey(privateKey: KeyObject): Signer {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (data) => new Uint8Array(sign(null, data, privateKey)),
  };
}

export function verifySignature(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, data, publicFromRawCached(publicKey), signature);
}

const publicKeyCache = new Map<string, KeyObject>();
function publicFromRawCached(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64');
  let key = publicKeyCache.get(id);
  if (!key) {
    key = publicKeyFromRaw(raw);
    publicKeyCache.set(id, key);
  }
  return key;
}

interface KeyringFile {
  current: { seed: string; from: string };
  retired: { publicKey: string; from: string; until: string }[];
}

/**
 * The platform's Ed25519 keys: created on first start in `<dataDir>/keys/signing.json` (mode 0600)
 * or taken from PROOFPANE_SIGNING_KEY. Rotation keeps retired public keys so old packs still verify.
 */
export class SigningKeyring {
  private constructor(
    private state: KeyringFile,
    private readonly file: string | undefined,
  ) {}

  static open(options: { dataDir: string; envSeed?: string | undefined; now?: () => Date }): SigningKeyring {
    const now = options.now ?? (() => new Date());
    const file = join(options.dataDir, 'keys', 'signing.json');
    if (options.envSeed) {
      const seed = Buffer.from(options.envSeed, 'base64');
      privateKeyFromSeed(seed);
      const retired = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as KeyringFile).retired : [];
      return new SigningKeyring(
        { current: { seed: seed.toString('base64'), from: now().toISOString() }, retired },
        undefined,
      );
    }
    if (existsSync(file))
      return new SigningKeyring(JSON.parse(readFileSync(file, 'utf8')) as KeyringFile, file);
    const ring = new SigningKeyring({ current: SigningKeyring.freshKey(now()), retired: [] }, file);
    ring.save();
    return ring;
  }

  /** An in-memory keyring, for tests and tools. */
  static ephemeral(now = new Date()): SigningKeyring {
    return new SigningKeyring({ current: SigningKeyring.freshKey(now), retired: [] }, undefined);
  }

  private static freshKey(now: Date) {
    const { privateKey } = generateKeyPairSync('ed25519');
    return { seed: seedOf(privateKey).toString('base64'), from: now.toISOString() };
  }

  get signer(): Signer {
    return signerFromPrivateKey(privateKeyFromSeed(Buffer.from(this.state.current.seed, 'base64')));
  }

  /** Retires the current key (its public half stays published) and starts a new one. */
  rotate(now = new Date()): { retired: string; current: string } {
    const old = this.signer;
    this.state.retired.push({
      publicKey: Buffer.from(old.publicKey).toString('base64'),
      from: this.state.current.from,
      until: now.toISOString(),
    });
    this.state.current = SigningKeyring.freshKey(now);
    this.save();
    return { retired: old.keyId, current: this.signer.keyId };
  }

  published(): PublishedKey[] {
    const current = this.signer;
    return [
      {
        keyId: current.keyId,
        publicKey: Buffer.from(current.publicKey).toString('base64'),
        status: 'current',
        from: this.state.current.from,
        until: null,
      },
      ...this.state.retired.map((k) => ({
        keyId: keyIdOf(Buffer.from(k.publicKey, 'base64')),
        publicKey: k.publicKey,
        status: 'retired' as const,
        from: k.from,
        until: k.until,
      })),
    ];
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
