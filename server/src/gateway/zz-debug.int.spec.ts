import { it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp } from './testing/gateway-test-app.js';
it('debug', async () => {
  const t = await createGatewayTestApp({ driver: 'pglite', env: { LOG_LEVEL: 'error' } });
  t.app.log.level = 'error';
  const orig = t.app.errorHandler;
  const r = await t.app.inject({ method: 'PUT', url: '/api/budget', headers: auth(t.key), payload: { monthlyUsdCap: 0.0001 } });
  console.log(r.statusCode, r.body);
  const r2 = await t.app.inject({ method: 'PUT', url: '/api/policy', headers: auth(t.key), payload: { models: ['demo'] } });
  console.log(r2.statusCode, r2.body);
  await t.close();
});
