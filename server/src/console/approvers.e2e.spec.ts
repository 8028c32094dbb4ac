import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { pageHealth } from './testing/page-checks.js';
import { signedInConsole } from './testing/signed-in-console.js';

const OWNER = { email: 'ava.approvers@example.test', password: 'owner password 1', org: 'Approver Desk' };
const WAIT = { timeout: 20_000 };

/** Opens the approver's HITL stream; `ended` settles when the server closes it. */
function openStream(url: string, token: string): Promise<{ ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      res.resume();
      resolve({ ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('revoking a desktop approver in Chromium against a real server', () => {
  const ctx = signedInConsole(OWNER);
  const { go } = ctx;

  it('revokes after a confirm: the chip says Revoked, the app’s stream closes and its token is refused', async () => {
    const { page } = ctx.owner;
    const url = ctx.server.url;
    await go(page, '/approvers');
    await page.getByRole('button', { name: 'Create pairing code' }).click();
    const code = (await page.getByTestId('approver-pairing-code').textContent()) ?? '';
    const response = await fetch(`${url}/api/hitl/approvers/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name: 'Front desk' }),
    });
    expect(response.status).toBe(201);
    const { token, approverId } = (await response.json()) as { token: string; approverId: string };
    const stream = await openStream(`${url}/api/hitl/stream`, token);

    const row = page.locator(`[data-testid="approver"][data-approver="${approverId}"]`);
    await row.waitFor(WAIT);
    // Dismissing the confirm leaves the approver paired.
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.getByRole('button', { name: 'Revoke Front desk' }).click();
    expect(await row.textContent()).toContain('Paired');
    expect((await fetch(`${url}/api/hitl`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke Front desk' }).click();
    await page.getByText('Front desk was revoked.').waitFor(WAIT);
    await row.getByText('Revoked', { exact: true }).waitFor(WAIT);
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    await stream.ended;
    expect((await fetch(`${url}/api/hitl`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      401,
    );
    expect(await pageHealth(page)).toEqual({ overflow: 0, violations: [] });
  });
});
