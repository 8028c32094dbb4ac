import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnCli } from './cli-process.js';

const readBody = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text) as Record<string, unknown>;
};

describe('proofpane-daemon pair', () => {
  let server: Server;
  let url: string;
  let home: string;
  const requests: Record<string, unknown>[] = [];
  const used = new Set<string>();

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      if (req.method !== 'POST' || req.url !== '/api/devices/pair') {
        res.writeHead(404).end();
        return;
      }
      const body = await readBody(req);
      requests.push(body);
      const reply = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (body.code === 'EXPI-RED0') reply(410, { title: 'Gone', detail: 'pairing code expired' });
      else if (body.code !== 'K7QF-2M9X') reply(404, { title: 'Not Found', detail: 'unknown pairing code' });
      else if (used.has(body.code)) reply(410, { detail: 'pairing code already used' });
      else {
        used.add(body.code);
        reply(201, { deviceId: 'dev_42', token: 'tok_secret_42', org: 'org_acme' });
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'proofpane-pair-'));
    used.clear();
    return () => rm(home, { recursive: true, force: true });
  });

  const env = () => ({ PROOFPANE_DAEMON_HOME: join(home, 'config'), PROOFPANE_DAEMON_KEYRING: 'off' });

  it('exchanges the code and stores the credentials in a 0600 file', async () => {
    const cli = spawnCli(
      ['pair', '--server', `${url}/`, '--code', 'k7qf-2m9x', '--name', 'build-box'],
      env(),
    );
    expect((await cli.exited).code).toBe(0);
    expect(requests.at(-1)).toEqual({
      code: 'K7QF-2M9X',
      name: 'build-box',
      platform: `${process.platform}-${process.arch}`,
    });
    const file = join(home, 'config', 'device.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'config'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      server: url,
      deviceId: 'dev_42',
      org: 'org_acme',
      token: 'tok_secret_42',
    });
    expect(cli.stderr()).toContain('paired as device dev_42 of org_acme');
    expect(cli.stderr()).not.toContain('tok_secret_42');
  });

  it('a code works once: the second use is refused as expired or used', async () => {
    expect((await spawnCli(['pair', '--server', url, '--code', 'K7QF-2M9X'], env()).exited).code).toBe(0);
    const again = spawnCli(['pair', '--server', url, '--code', 'K7QF-2M9X'], env());
    expect((await again.exited).code).toBe(3);
    expect(again.stderr()).toContain('has expired or was already used (pairing code already used)');
  });

  it('a wrong code gives a clear error, exit code 3, and stores nothing', async () => {
    const cli = spawnCli(['pair', '--server', url, '--code', 'WRON-GCOD'], env());
    expect((await cli.exited).code).toBe(3);
    expect(cli.stderr()).toContain('error: the pairing code WRON-GCOD is wrong (unknown pairing code)');
    await expect(stat(join(home, 'config', 'device.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an expired code says so', async () => {
    const cli = spawnCli(['pair', '--server', url, '--code', 'EXPI-RED0'], env());
    expect((await cli.exited).code).toBe(3);
    expect(cli.stderr()).toContain('has expired or was already used (pairing code expired)');
  });

  it('an unreachable server gives a clear error and exit code 4', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const cli = spawnCli(['pair', '--server', `http://127.0.0.1:${port}`, '--code', 'K7QF-2M9X'], env());
    expect((await cli.exited).code).toBe(4);
    expect(cli.stderr()).toContain(
      `error: cannot reach the server at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  it('missing options print the usage and exit 2', async () => {
    const cli = spawnCli(['pair', '--server', url], env());
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain("required option '--code <code>' not specified");
  });
});
