import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const rule = join(here, '..', 'no-append-in-server.grit');
const biome = join(here, '..', '..', 'node_modules', '.bin', 'biome');

const appends = `declare const store: { append(batch: unknown): Promise<unknown> };
declare const deps: { store: typeof store };
export async function record() {
  const query = new URLSearchParams();
  query.append('org', 'org_a');
  const headers = new Headers();
  headers.append('x-request-id', 'req_1');
  const form = new FormData();
  form.append('pack', 'zip', 'pack.zip');
  await store.append({ org: 'org_a', events: [] });
  const batch = { org: 'org_a', events: [] };
  await deps.store
    .append(batch);
  const alias = deps.store;
  await alias?.append(batch);
}
`;

// A project of its own holding only the rule, so the answer does not depend on the state of the checkout.
const project = mkdtempSync(join(tmpdir(), 'proofpane-lint-'));
writeFileSync(
  join(project, 'biome.json'),
  JSON.stringify({
    plugins: [rule],
    formatter: { enabled: false },
    assist: { enabled: false },
    linter: { enabled: true, rules: { recommended: false } },
  }),
);
for (const file of [
  'server/src/gateway/record.ts',
  'server/src/runtime/record.ts',
  'server/src/gateway/record.int.spec.ts',
  'commands/src/gateway/record.ts',
]) {
  mkdirSync(join(project, dirname(file)), { recursive: true });
  writeFileSync(join(project, file), appends);
}
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** `file:line` of every diagnostic the rule reports. */
function reported(): string[] {
  const run = spawnSync(biome, ['lint', '--max-diagnostics=100', '.'], { cwd: project, encoding: 'utf8' });
  const out = `${run.stdout}\n${run.stderr}`;
  expect(out).not.toContain('errored');
  return [...out.matchAll(/^(\S+\.ts):(\d+):\d+ plugin/gm)].map((m) => `${m[1]}:${m[2]}`).sort();
}

describe('lint/no-append-in-server.grit', () => {
  it('reports every store append in server/src, and no other append, outside specs and the runtime', () => {
    expect(reported()).toEqual([
      'server/src/gateway/record.ts:10',
      'server/src/gateway/record.ts:12',
      'server/src/gateway/record.ts:15',
    ]);
  });
});
