import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

for (const driver of testDrivers) {
  describe(`the bare app on ${driver}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ driver });
    });
    afterAll(() => t.dispose());

    it('answers /healthz after a database round trip, with a request id', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', database: driver });
      expect(res.headers['x-request-id']).toBe('abc-123');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('answers an unknown route with a problem+json 404', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'not_found', status: 404, instance: '/api/nothing-here' });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
