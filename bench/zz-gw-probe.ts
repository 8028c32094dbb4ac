import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@proofpane/core';
import { startFakeOpenAI } from '/work/main/commands/src/testing/index.js';
import { buildApp } from '/work/main/server/src/app.js';
import { loadConfig } from '/work/main/server/src/config.js';
import { openRuntime } from '/work/main/server/src/runtime/runtime.js';
const dir = mkdtempSync(join(tmpdir(), 'gwp-'));
const upstream = await startFakeOpenAI();
const database = await openDatabase({ dataDir: process.env.MEM ? undefined : join(dir, 'pg') });
const config = loadConfig({ PROOFPANE_DATA_DIR: dir, LOG_LEVEL: 'silent', PROOFPANE_SCRYPT_COST: '10', PROOFPANE_PRICE_REFRESH: 'off', OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: `${upstream.url}/v1` });
const runtime = await openRuntime({ config, database });
const app = await buildApp({ runtime, logger: false });
const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'a@example.test', password: 'bench password 1', orgName: 'B' } });
const key = (await app.inject({ method: 'POST', url: '/api/api-keys', headers: { authorization: `Bearer ${reg.json().token}` }, payload: { name: 'b', role: 'member' } })).json().key;
const body = { model: process.env.MODEL ?? 'gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'hello jane@example.com' }] };
for (let i = 0; i < Number(process.env.N ?? 8); i++) {
  const t0 = performance.now();
  const r = await app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${key}` }, payload: body });
  if (i % 50 === 0 || i > Number(process.env.N ?? 8) - 4) console.log(r.statusCode, (performance.now() - t0).toFixed(1), r.headers["server-timing"]);
}
await app.close(); await runtime.close(); await upstream.close();
