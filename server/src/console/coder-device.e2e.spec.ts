import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, type ScriptedReply, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import { greetRepository, type PairedDaemon, startPairedDaemon } from '../coder/testing/paired-daemon.js';
import { pageApi } from './testing/browser.js';
import { pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'dana.device@example.test', password: 'owner password 1', org: 'Device Coders' };
const WAIT = { timeout: 30_000 };
const call = (name: string, args: Record<string, unknown>): ScriptedReply => ({
  toolCalls: [{ name, arguments: args }],
  usage: { input: 10, output: 5 },
});

describe('the Coder page starts a session on a paired daemon, in Chromium against a real server', () => {
  let vendor: FakeVendor;
  let daemon: PairedDaemon | undefined;
  beforeAll(async () => {
    vendor = await startFakeOpenAI();
  });
  const ctx = signedInConsole(OWNER, {
    env: () => ({
      OPENAI_API_KEY: 'sk-coder-device-e2e',
      OPENAI_BASE_URL: `${vendor.url}/v1`,
      PROOFPANE_CODER_MODEL: 'openai/gpt-4o-mini',
      PROOFPANE_CODER_MAX_ITERATIONS: '6',
      PROOFPANE_CODER_RUN_TIMEOUT_MS: '5000',
    }),
  });
  afterAll(async () => {
    await daemon?.close();
    await vendor?.close();
  });

  it('says so when no device is paired, and offers only the server', async () => {
    const { page } = ctx.owner;
    await ctx.go(page, '/coder');
    const place = page.getByTestId('repo-place');
    await place.getByTestId('no-devices').waitFor(WAIT);
    expect(await place.getByRole('link', { name: 'Devices' }).getAttribute('href')).toBe('/devices');
    expect(await place.getByRole('radio').count()).toBe(1);
    expect(await place.getByRole('radio', { name: 'On the server' }).isChecked()).toBe(true);
    expect(await pageHealth(page)).toEqual({ overflow: 0, violations: [] });
  });

  it("creates a session on the device by its name, shows the server's refusal, runs it there and shows the change", async () => {
    const { page } = ctx.owner;
    const code = (await pageApi(page, 'POST', '/api/devices/pairing-codes', {})).body['code'] as string;
    daemon = await startPairedDaemon({
      server: ctx.server.url,
      code,
      name: 'build-box',
      isConnected: (id) => ctx.server.app.devices.hub.isConnected(id),
    });
    const repo = greetRepository(daemon.root);

    await ctx.go(page, '/coder');
    await page.getByRole('radio', { name: 'On build-box' }).check();
    expect(await page.getByTestId('no-devices').count()).toBe(0);
    expect(await page.getByTestId('draft-mode').textContent()).toContain('Repo (Mode A)');
    await page.getByLabel('Goal').fill('Make greet.sh say hello, world');
    const path = page.getByLabel(/^Repository on build-box, relative to its daemon's root/);

    // A folder under the root that is not a repository: the server's reason is shown, nothing is created.
    await path.fill('nowhere');
    await page.getByRole('button', { name: 'Create session' }).click();
    const refusal = page.getByTestId('problem');
    await refusal.waitFor(WAIT);
    expect(await refusal.getAttribute('data-code')).toBe('coder_repo_invalid');
    expect(await page.getByText('No session yet.').count()).toBe(1);

    await path.fill('calc');
    await page.getByRole('button', { name: 'Create session' }).click();
    const detail = page.getByTestId('session-detail');
    await detail.waitFor(WAIT);
    expect(await refusal.count()).toBe(0);
    expect(await detail.getByTestId('session-device').textContent()).toBe('On build-box');
    expect(await detail.getByTestId('session-status').textContent()).toBe('awaiting_run');
    const row = page.getByTestId('session-row').filter({ hasText: 'Make greet.sh say hello, world' });
    await row.getByTestId('session-device').filter({ hasText: 'on build-box' }).waitFor(WAIT);
    expect(await row.textContent()).toContain('Repo · calc');

    vendor.script(
      call('write', { path: 'greet.sh', content: 'echo "hello, world"\n' }),
      call('run', { command: 'sh test.sh' }),
      call('done', { summary: 'greet.sh says hello, world; the test passes.' }),
    );
    await detail.getByRole('button', { name: 'Run loop' }).click();
    await detail.getByTestId('session-status').filter({ hasText: 'finished' }).waitFor(WAIT);
    await detail.getByText('Stopped: done').waitFor(WAIT);
    await detail.getByTestId('session-diff').filter({ hasText: '+echo "hello, world"' }).waitFor(WAIT);
    expect(await detail.getByTestId('tool-call').allTextContents()).toEqual(['write', 'run', 'done']);
    await row.getByText('finished').waitFor(WAIT);
    // The run tested on the device; the user's checkout there is untouched until someone applies it.
    expect(JSON.stringify(vendor.requests.at(-1)!.body.messages)).toContain('TESTS-PASS');
    expect(readFileSync(join(repo, 'greet.sh'), 'utf8')).toBe('echo "hello"\n');
    expect(await pageHealth(page)).toEqual({ overflow: 0, violations: [] });
  }, 120_000);
});
