import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const keys = JSON.parse(readFileSync(fixture('keys.json'), 'utf8')) as { keys: { publicKey: string }[] };

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'evidence-verifier/src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('proofpane-verify', () => {
  it('exits 3, not 0, on a pack that passes every check when no key is pinned: the signer is unproven', () => {
    const run = cli(fixture('valid-full.zip'));
    expect(run.code).toBe(3);
    expect(run.out).toMatch(/✓ manifest\.signature/);
    expect(run.out).toMatch(/anyone could have made such a key/);
    expect(run.out).toMatch(/\nUNPROVEN: every check passed, but no key is pinned/);
    expect(run.out).not.toMatch(/\nVALID/);
  });

  it('exits 0 with the pinned key, ending in VALID', () => {
    const run = cli(fixture('valid-full.zip'), '--key', keys.keys[0]!.publicKey);
    expect(run.code).toBe(0);
    expect(run.out.trim().endsWith('VALID')).toBe(true);
  });

  it('exits 0 with the pinned key or the key list, without the warning', () => {
    for (const pin of [
      ['--key', keys.keys[0]!.publicKey],
      ['--keys', fixture('keys.json')],
    ]) {
      const run = cli(fixture('valid-filtered.zip'), ...pin);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/✓ signing-key\.pinned/);
      expect(run.out).not.toMatch(/anyone could/);
    }
  });

  it('exits 1 on a tampered pack, naming the check and the seq', () => {
    const run = cli(fixture('tampered-field-data.zip'));
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/✗ events\.hash\s+seq 7: hash does not match/);
    expect(run.out).toMatch(/INVALID/);
  });

  it('exits 1 when another key signed the pack than the pinned one', () => {
    const run = cli(fixture('resigned-other-key.zip'), '--key', keys.keys[0]!.publicKey);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/✗ signing-key\.pinned/);
  });

  it('exits 3 on a re-signed pack with a deleted and an edited event unpinned, and 1 pinned', () => {
    const forged = fixture('resigned-rebuilt-chain.zip');
    const open = cli(forged, '--json');
    expect(open.code).toBe(3);
    expect(JSON.parse(open.out)).toMatchObject({ status: 'unproven', valid: false, signer: 'unproven' });
    for (const pin of [
      ['--key', keys.keys[0]!.publicKey],
      ['--keys', fixture('keys.json')],
    ]) {
      const run = cli(forged, ...pin);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/✗ signing-key\.pinned/);
      expect(run.out).toMatch(/\nINVALID/);
    }
  });

  it('takes --keys as /.well-known/proofpane-keys.json was saved, byte-order mark or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proofpane-keys-'));
    try {
      const saved = join(dir, 'proofpane-keys.json');
      writeFileSync(saved, `\uFEFF${readFileSync(fixture('keys.json'), 'utf8')}`);
      const run = cli(fixture('valid-filtered.zip'), '--keys', saved, '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ status: 'valid', signer: 'pinned' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on unusable input: a zip bomb, a missing file, a bad key, a bad option', () => {
    const bomb = cli(fixture('hostile-zip-bomb.zip'));
    expect(bomb.code).toBe(2);
    expect(bomb.out).toMatch(/UNUSABLE: entry "manifest\.json" declares/);
    expect(cli(fixture('no-such-pack.zip')).code).toBe(2);
    expect(cli(fixture('valid-full.zip'), '--key', 'not-a-key').code).toBe(2);
    expect(cli(fixture('valid-full.zip'), '--key', 'AAAA', '--keys', fixture('keys.json')).code).toBe(2);
    expect(cli(fixture('valid-full.zip'), '--frobnicate').code).toBe(2);
  });

  it('prints the report as JSON with --json', () => {
    const run = cli(fixture('tampered-proof-path.zip'), '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as {
      status: string;
      checks: { id: string; ok: boolean; seq?: number }[];
    };
    expect(report.status).toBe('invalid');
    expect(report.checks).toContainEqual(
      expect.objectContaining({ id: 'proofs.inclusion', ok: false, seq: 7 }),
    );
    const unusable = JSON.parse(cli(fixture('hostile-truncated-archive.zip'), '--json').out) as {
      status: string;
    };
    expect(unusable.status).toBe('unusable');
  });

  it('prints help and exits 0', () => {
    const run = cli('--help');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Usage: proofpane-verify \[options\] <pack>/);
    expect(run.out).toMatch(/--keys <file>/);
  });
});
