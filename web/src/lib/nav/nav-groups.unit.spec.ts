import { describe, expect, it } from 'vitest';
import { activeGroup, isActive, NAV_GROUPS } from './nav-groups';

describe('the primary navigation', () => {
  it('puts every page in exactly one group, with no path listed twice', () => {
    const hrefs = NAV_GROUPS.flatMap((g) => g.links.map((l) => l.href));
    expect(new Set(hrefs).size).toBe(hrefs.length);
    expect(NAV_GROUPS.map((g) => g.label)).toEqual(['Monitor', 'Build', 'Govern', 'Connect', 'Organisation']);
  });

  it('marks Mission Control only on the root and other pages on their own path and below', () => {
    const home = { href: '/', label: 'Mission Control' };
    const runs = { href: '/runs', label: 'Agent Runs' };
    expect(isActive(home, '/')).toBe(true);
    expect(isActive(home, '/runs')).toBe(false);
    expect(isActive(runs, '/runs/run_1')).toBe(true);
    // A page whose path merely starts with the same letters is another page.
    expect(isActive({ href: '/mcp', label: 'MCP servers' }, '/mcp-activity')).toBe(false);
  });

  it('keeps workflow runs under Workflows, in the Build group', () => {
    expect(activeGroup(NAV_GROUPS, '/workflow-runs/wfr_1')?.label).toBe('Build');
    expect(activeGroup(NAV_GROUPS, '/devices')?.label).toBe('Connect');
    expect(activeGroup(NAV_GROUPS, '/login')).toBeUndefined();
  });
});
