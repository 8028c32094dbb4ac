import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSource } from '../src/cli/file-source.js';
import { nodeAdapters } from '../src/cli/node-adapters.js';
import { proofsThread } from '../src/cli/proofs-thread.js';
import { type ParallelProofs, type ParallelProofsResult, verifyPack } from '../src/index.js';
import { bytes, repack, text, unpack } from './tamper.js';

const dir = join(import.meta.dirname, 'fixtures');
const read = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const sequential = { ...nodeAdapters, parallelProofs: undefined };

/** The worker-thread helper, recording what it answered. */
function recorded(): { parallelProofs: ParallelProofs; answers: (ParallelProofsResult | undefined)[] } {
  const answers: (ParallelProofsResult | undefined)[] = [];
  const inner = proofsThread({ minBytes: 0 });
  const parallelProofs: ParallelProofs = (input) => {
    const run = inner(input);
    if (!run) return run;
    return {
      addLeaves: (hashes) => run.addLeaves(hashes),
      cancel: () => run.cancel(),
      result: async () => {
        const answer = await run.result();
        answers.push(answer);
        return answer;
      },
    };
  };
  return { parallelProofs, answers };
}

describe('proofs checked on a worker thread', () => {
  it('shows every proof of a whole-chain pack to hold, with the file hash, in the same report', async () => {
    const { parallelProofs, answers } = recorded();
    const zip = read('valid-full.zip');
    const report = await verifyPack(zip, { ...nodeAdapters, parallelProofs });
    expect(answers).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), allHold: true }]);
    expect(report).toEqual(await verifyPack(zip, sequential));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('reads proofs.json by offset from the open pack file, as the CLI hands it over', async () => {
    const { parallelProofs, answers } = recorded();
    const file = await FileSource.open(join(dir, 'valid-full.zip'));
    try {
      const report = await verifyPack(file, { ...nodeAdapters, parallelProofs });
      expect(answers).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), allHold: true }]);
      expect(report).toEqual(await verifyPack(read('valid-full.zip'), sequential));
    } finally {
      await file.close();
    }
  });

  it('does not vouch for a whole-chain pack with one altered proof, whose report names its seq', async () => {
    const entries = unpack(read('valid-full.zip'));
    const proofs = JSON.parse(text(entries.get('proofs.json')!)) as Record<string, string[]>;
    proofs['13']![2] = proofs['13']![2]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    entries.set('proofs.json', bytes(JSON.stringify(proofs)));
    const zip = repack(entries);
    const { parallelProofs, answers } = recorded();
    const report = await verifyPack(zip, { ...nodeAdapters, parallelProofs });
    expect(answers).toEqual([{ sha256: '', allHold: false }]);
    expect(report).toEqual(await verifyPack(zip, sequential));
    expect(report.checks.find((c) => c.id === 'proofs.inclusion')).toMatchObject({ ok: false, seq: 13 });
  });

  it('gives the same report as checking proofs in place, for every fixture', async () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.zip'))) {
      const zip = read(file);
      const { parallelProofs } = recorded();
      expect(await verifyPack(zip, { ...nodeAdapters, parallelProofs }), file).toEqual(
        await verifyPack(zip, sequential),
      );
    }
  });
});
