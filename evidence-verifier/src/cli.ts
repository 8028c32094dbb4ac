import { readFile, stat } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { formatReport } from './cli/format-report.js';
import { nodeAdapters } from './cli/node-adapters.js';
import { readPackFile } from './cli/read-pack-file.js';
import { DEFAULT_LIMITS } from './pack/limits.js';
import type { VerifyReport } from './pack/report.js';
import { parsePinnedKey, parsePublishedKeys, type TrustedKeys } from './pack/trusted-keys.js';
import { verifyPack } from './pack/verify-pack.js';

const EXIT = { valid: 0, invalid: 1, unusable: 2 } as const;

interface CliOptions {
  key?: string;
  keys?: string;
  json?: boolean;
}

const program = new Command()
  .name('proofpane-verify')
  .description(
    'Verify a Proofpane evidence pack offline: signatures, event hashes, the prev chain and the ' +
      'Merkle inclusion of every event in the signed checkpoint. Exit status: 0 valid, 1 invalid, 2 unusable input.',
  )
  .argument('<pack>', 'the evidence pack (.zip)')
  .addOption(
    new Option('--key <base64>', 'pin the platform public key (base64 of the raw 32 bytes)').conflicts(
      'keys',
    ),
  )
  .addOption(new Option('--keys <file>', 'pin the keys listed in a /.well-known/proofpane-keys.json file'))
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
      text = await readFile(options.keys, 'utf8');
    } catch (error) {
      return unusable(`cannot read keys file: ${(error as Error).message}`);
    }
    const parsed = parsePublishedKeys(text);
    if ('error' in parsed) return unusable(parsed.error);
    trust = { kind: 'list', keys: parsed.keys };
  }
  let zip: Uint8Array;
  try {
    const { size } = await stat(file);
    if (size > DEFAULT_LIMITS.archiveBytes)
      return unusable(`archive is ${size} bytes, above the limit of ${DEFAULT_LIMITS.archiveBytes}`);
    zip = await readPackFile(file, size);
  } catch (error) {
    return unusable(`cannot read ${file}: ${(error as Error).message}`);
  }
  return verifyPack(zip, { ...nodeAdapters, trust });
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
