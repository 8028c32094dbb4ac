import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerAnswers } from './docker-runner.js';

describe('Docker detection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-docker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('answers yes only when the CLI reaches an engine that names its version', async () => {
    expect(await dockerAnswers(script('engine', 'echo 27.3.1'))).toBe(true);
    // The CLI is there but no daemon answers on its socket.
    expect(
      await dockerAnswers(script('no-engine', 'echo "Cannot connect to the Docker daemon" >&2; exit 1')),
    ).toBe(false);
    expect(await dockerAnswers(script('silent', 'exit 0'))).toBe(false);
    expect(await dockerAnswers(join(dir, 'missing'))).toBe(false);
  });
});
