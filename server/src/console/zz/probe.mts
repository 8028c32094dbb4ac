import { startConsoleServer } from '../testing/console-server.js';
const server = await startConsoleServer();
const reg = await server.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'b@example.test', password: 'bench password', orgName: 'B' } });
const s = reg.json();
const actor = { kind: 'agent' as const, id: 'a' };
for (let n = 0; n < 100000; n += 1000) {
  const events = [];
  for (let i = n; i < n + 1000; i += 2) {
    events.push({ type: 'cp.run.started', subject: `run/r${i}`, data: { kind: 'workflow', name: `Run ${i}` }, actor, meta: { runId: `r${i}` } });
    events.push({ type: 'cp.run.completed', subject: `run/r${i}`, data: { status: 'succeeded' }, actor, meta: { runId: `r${i}` } });
  }
  await server.runtime.store.append({ org: s.org.id, events });
}
const auth = { authorization: `Bearer ${s.token}` };
for (;;) {
  const res = await server.app.inject({ method: 'GET', url: '/api/admin/projections', headers: auth });
  if (res.json().projections.every((p: { lag: number }) => p.lag === 0)) break;
  await new Promise((r) => setTimeout(r, 500));
}
const time = async (url: string) => { const t = performance.now(); const r = await fetch(server.url + url, { headers: auth }); await r.text(); console.log(url, r.status, Math.round(performance.now() - t), 'ms'); };
for (let k = 0; k < 2; k++) {
  await time('/api/console/head');
  await time('/api/audit?fromSeq=99803&toSeq=100002&limit=1000');
  await time('/api/audit?type=cp.run.started&fromSeq=99003&toSeq=100002&limit=1000');
  await time('/api/audit?fromSeq=1&toSeq=1000&limit=1000');
  await time('/api/audit?fromSeq=50001&toSeq=51000&limit=1000');
  await time('/api/audit?fromSeq=50001&toSeq=50500&limit=1000');
  await time('/api/auth/me');
  await time('/api/runs?window=24h&limit=200');
}
const t = performance.now();
const r = await fetch(server.url + '/api/audit/stream', { headers: { ...auth, 'last-event-id': '100002' } });
console.log('stream headers', r.status, Math.round(performance.now() - t), 'ms');
await r.body?.cancel();
await server.close();
process.exit(0);
