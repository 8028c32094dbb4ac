import type { Role } from '@proofpane/api';
import { afterEach, describe, expect, it } from 'vitest';
import { isAdmin } from './roles';
import { session } from './session.svelte';

const as = (role: Role | undefined) => ({
  token: 'pps_abc',
  user: { id: 'usr_1', email: 'ada@example.com' },
  org: { id: 'org_1', name: 'Acme' },
  ...(role ? { role } : {}),
});

afterEach(() => {
  session.current = null;
});

describe('isAdmin', () => {
  it('is true for owners and admins only', () => {
    session.current = as('owner');
    expect(isAdmin()).toBe(true);
    session.current = as('admin');
    expect(isAdmin()).toBe(true);
    session.current = as('member');
    expect(isAdmin()).toBe(false);
  });

  it('is false while the role is unknown or nobody is signed in', () => {
    session.current = as(undefined);
    expect(isAdmin()).toBe(false);
    session.current = null;
    expect(isAdmin()).toBe(false);
  });
});
