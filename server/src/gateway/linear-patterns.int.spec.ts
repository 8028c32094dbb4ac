import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

/**
 * The report this guards against: `(a|a)*b` passed the old safe-regex2 screen, and one blocked pattern
 * or one grep over a line of `a`s froze the server for every org. Every call below would hang on a
 * backtracking engine, so each completing (with the right answer) is the assertion; `/healthz` is sent
 * alongside to show the server keeps answering while the pattern runs.
 */
for (const driver of testDrivers) {
  describe(`user-supplied patterns run in linear time on ${driver}`, () => {
    let t: GatewayTestApp;
    const a60 = 'a'.repeat(60);
    const put = async (payload: object) => {
      const res = await fetch(`${t.url}/api/policy`, {
        method: 'PUT',
        headers: { ...auth(t.key), 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    const chat = (content: string) =>
      fetch(`${t.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...auth(t.key), 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content }] }),
      });
    const tool = (name: string, args: object) =>
      fetch(`${t.url}/api/tools/call`, {
        method: 'POST',
        headers: { ...auth(t.account.token), 'content-type': 'application/json' },
        body: JSON.stringify({ tool: name, args }),
      });
    const healthz = () => fetch(`${t.url}/healthz`).then((res) => res.status);

    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    it('refuses a blocked pattern RE2 cannot run, naming the field', async () => {
      const res = await fetch(`${t.url}/api/policy`, {
        method: 'PUT',
        headers: { ...auth(t.key), 'content-type': 'application/json' },
        body: JSON.stringify({ blockedPatterns: [{ name: 'br', pattern: '(a)\\1' }] }),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/blockedPatterns\.0\.pattern.*backreferences/);
    });

    it.each(['(a|a)*b', '(a|aa)*c', '(a+)+b'])(
      'answers a chat of 60 a’s under the blocked pattern %s, and blocks one that matches',
      async (pattern) => {
        await put({ blockedPatterns: [{ name: 'e', pattern }] });
        const [allowed, health] = await Promise.all([chat(a60), healthz()]);
        expect(health).toBe(200);
        expect(allowed.status).toBe(200);
        expect((await allowed.json()).choices[0].message.content).toMatch(/^\[demo\]/);

        const blocked = await chat(`${a60}${pattern.endsWith('c') ? 'c' : 'b'}`);
        expect(blocked.status).toBe(403);
        expect(await blocked.text()).toMatch(/blocked pattern \\?"e\\?" matched/);
      },
    );

    it('answers grep (a|a)*b over a file of 60 a’s while /healthz keeps answering', async () => {
      // A blocked pattern stays in place (it must not see a match in the calls' arguments) and the
      // in-process write is let through without a person, which a new org's policy would ask for.
      await put({ blockedPatterns: [{ name: 'e', pattern: '^(a|aa)*c$' }], hitl: { localTools: [] } });
      const wrote = await tool('write', { path: 'many-a.txt', content: `${a60}\n${a60}b\n` });
      expect(await wrote.json()).toMatchObject({ ok: true });

      const [grep, health] = await Promise.all([
        tool('grep', { pattern: '(a|a)*b', path: 'many-a.txt' }),
        healthz(),
      ]);
      expect(health).toBe(200);
      expect(await grep.json()).toMatchObject({
        ok: true,
        result: { matches: [{ path: 'many-a.txt', line: 2, text: `${a60}b` }], truncated: false },
      });

      const refused = await tool('grep', { pattern: 'a(?=b)', path: 'many-a.txt' });
      expect(await refused.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid_regex', message: expect.stringMatching(/lookahead/) },
      });
    });
  });
}
