import { isHash } from '../chain/hex.js';
import { ENTRY, PACK_FORMAT, type PackManifest } from './format.js';
import { UnusablePackError } from './report.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses manifest.json, refusing (as unusable) anything that is not a manifest of this format. */
export function parseManifest(bytes: Uint8Array, maxDepth: number): PackManifest {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new UnusablePackError('manifest.json is not valid UTF-8');
  }
  if (nestingDepth(text) > maxDepth)
    throw new UnusablePackError(`manifest.json nests deeper than ${maxDepth} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnusablePackError('manifest.json is not JSON');
  }
  const m = value as Partial<PackManifest> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new UnusablePackError('manifest.json is not an object');
  if (m.format !== PACK_FORMAT)
    throw new UnusablePackError(
      `unsupported format ${JSON.stringify(m.format)}; this verifier reads ${PACK_FORMAT}`,
    );
  const problem = shapeProblem(m);
  if (problem) throw new UnusablePackError(`manifest.json: ${problem}`);
  return m as PackManifest;
}

function shapeProblem(m: Partial<PackManifest>): string | undefined {
  const { events, proofs, checkpoint: c, signingKey } = m;
  if (typeof m.org !== 'string' || m.org === '') return 'org must be a non-empty string';
  if (typeof m.createdAt !== 'string') return 'createdAt must be a string';
  if (typeof m.selection !== 'object' || m.selection === null) return 'selection must be an object';
  if (events?.path !== ENTRY.events || !isCount(events.count) || !isHash(events.sha256))
    return 'events must be {path: "events.jsonl", count, sha256}';
  if (proofs?.path !== ENTRY.proofs || !isHash(proofs.sha256))
    return 'proofs must be {path: "proofs.json", sha256}';
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.org !== 'string' ||
    !isCount(c.size) ||
    !isHash(c.root) ||
    typeof c.time !== 'string' ||
    typeof c.keyId !== 'string' ||
    typeof c.signature !== 'string'
  )
    return 'checkpoint must be {org, size, root, time, keyId, signature}';
  if (typeof signingKey?.keyId !== 'string' || typeof signingKey.publicKey !== 'string')
    return 'signingKey must be {keyId, publicKey}';
  return undefined;
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** Deepest nesting of objects and arrays in JSON text, counted without parsing. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}
