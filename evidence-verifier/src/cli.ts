import { open } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { FileSource, NotARegularFileError } from './cli/file-source.js';
import { formatReport } from './cli/format-report.js';
import { nodeAdapters } from './cli/node-adapters.js';
import type { VerifyReport } from './pack/report.js';
import { parsePinnedKey, parsePublishedKeys, type TrustedKeys } from './pack/trusted-keys.js';
import { verifyPack } from './pack/verify-pack.js';

/** Exit status by report status; documented in docs/evidence-pack.md. */
const EXIT = { valid: 0, invalid: 1, unusable: 2, unproven: 3 } as const;

/** A published key list is a few hundred bytes; anything far larger is not one. */
const KEYS_FILE_BYTES = 1024 * 1024;

interface CliOptions {
  key?: string;
  keys?: string;
  json?: boolean;
}

const program = new Command()
  .name('proofpane-verify')
  .description(
    'Verify a Proofpane evidence pack offline: signatures, event hashes, the prev chain and the ' +
      'Merkle inclusion of every event in the signed checkpoint. Exit status: 0 valid and signed by a ' +
      'pinned key, 1 invalid, 2 unusable input (not a readable pack, not a regular file, a bad ' +
      'argument), 3 every check passed but no key was pinned, so the signer is unproven.',
  )
  .argument('<pack>', 'the evidence pack (.zip)')
  .addOption(
    new Option('--key <base64>', 'pin the platform public key (base64 of the raw 32 bytes)').conflicts(
      'keys',
    ),
  )
  .addOption(
    new Option(
      '--keys <file>',
      'pin the keys listed in /.well-known/proofpane-keys.json, saved as served (a pipe such as <(curl …) works too)',
    ),
  )
  .option('--json', 'print the report as JSON')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

async function main(argv: string[]): Promise<number> {
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.unusable;
    throw error;
  }
  const file = program.args[0]!;
  const options = program.opts<CliOptions>();
  const report = await run(file, options);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(file, report));
  return EXIT[report.status];
}

async function run(file: string, options: CliOptions): Promise<VerifyReport> {
  const unusable = (error: string): VerifyReport => ({
    status: 'unusable',
    valid: false,
    signer: 'unproven',
    checks: [],
    warnings: [],
    eventCount: 0,
    error,
  });
  let trust: TrustedKeys | undefined;
  if (options.key !== undefined) {
    const pinned = parsePinnedKey(options.key);
    if ('error' in pinned) return unusable(pinned.error);
    trust = pinned;
  } else if (options.keys !== undefined) {
    let text: string;
    try {
      text = await readKeysFile(options.keys);
    } catch (error) {
      return unusable(`cannot read keys file: ${(error as Error).message}`);
    }
    const parsed = parsePublishedKeys(text);
    if ('error' in parsed) return unusable(parsed.error);
    trust = { kind: 'list', keys: parsed.keys };
  }
  let source: FileSource;
  try {
    source = await FileSource.open(file);
  } catch (error) {
    if (error instanceof NotARegularFileError) return unusable(error.message);
    return unusable(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return await verifyPack(source, { ...nodeAdapters, trust });
  } finally {
    await source.close();
  }
}

/**
 * The keys file, as saved from /.well-known/proofpane-keys.json (a leading byte-order mark, which
 * some tools write, is dropped). It may be a pipe, so it is read as a stream, and only so far.
 */
async function readKeysFile(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > KEYS_FILE_BYTES) throw new Error(`larger than ${KEYS_FILE_BYTES} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`proofpane-verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT.unusable;
  },
);
