import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('the read models inside the whole app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ driver: 'pglite' });
  });
  afterAll(() => t.dispose());

  it('answers only authenticated callers', async () => {
    for (const url of ['/api/audit', '/api/cost/summary', '/api/runs/x/tree', '/api/admin/projections']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated' });
    }
  });
});
