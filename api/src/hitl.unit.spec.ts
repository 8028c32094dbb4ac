import { describe, expect, it } from 'vitest';
import { hitlListQuery, hitlRequest, hitlResolved } from './hitl.js';

const pending = {
  id: 'hitl_1',
  kind: 'tool_call',
  subject: 'hitl/hitl_1',
  target: 'bash',
  risk: 'high',
  summary: 'rm -rf build',
  reason: 'bash needs a person',
  context: {},
  argsSha256: 'a'.repeat(64),
  status: 'pending',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:10:00.000Z',
  consumed: false,
};

describe('HITL contract', () => {
  it('reads a pending request, and a resolved one with its resolution', () => {
    expect(hitlRequest.parse(pending).resolution).toBeUndefined();
    const resolution = {
      decision: 'deny',
      by: 'usr_1',
      auto: false,
      remember: true,
      at: '2026-01-01T00:01:00.000Z',
    };
    expect(hitlRequest.parse({ ...pending, status: 'denied', resolution }).resolution).toEqual(resolution);
  });

  it('refuses a kind the server never queues', () => {
    expect(hitlRequest.safeParse({ ...pending, kind: 'email' }).success).toBe(false);
  });

  it('does not let a resolved message say pending', () => {
    const message = { id: 'hitl_1', decision: 'approve', auto: false, by: 'usr_1' };
    expect(hitlResolved.safeParse({ ...message, status: 'approved' }).success).toBe(true);
    expect(hitlResolved.safeParse({ ...message, status: 'pending' }).success).toBe(false);
  });

  it('bounds the page size a list asks for', () => {
    expect(hitlListQuery.parse({}).limit).toBe(50);
    expect(hitlListQuery.safeParse({ limit: '201' }).success).toBe(false);
  });
});
