/** One console page in the primary navigation; `also` holds more path prefixes that belong to it. */
export interface NavLink {
  href: string;
  label: string;
  also?: readonly string[];
}

export interface NavGroup {
  label: string;
  links: readonly NavLink[];
}

/**
 * The primary navigation, grouped by what a person comes to do: watch, build, govern, connect,
 * organise. A new page adds one link to the group it belongs to.
 */
export const NAV_GROUPS: readonly NavGroup[] = [
  {
    label: 'Monitor',
    links: [
      { href: '/', label: 'Mission Control' },
      { href: '/approvals', label: 'Approvals' },
      { href: '/runs', label: 'Agent Runs' },
      { href: '/cost', label: 'Cost & Budget' },
    ],
  },
  {
    label: 'Build',
    links: [
      { href: '/skills', label: 'Skills' },
      { href: '/dreams', label: 'Dreams' },
      // A workflow run belongs under Workflows, though its path mirrors the API's /api/workflow-runs.
      { href: '/workflows', label: 'Workflows', also: ['/workflow-runs'] },
      { href: '/multi-agent', label: 'Multi-agent' },
      { href: '/evals', label: 'Cross-vendor evals' },
      { href: '/playground', label: 'Playground' },
      { href: '/coder', label: 'Coder' },
      { href: '/parallel-universe', label: 'Parallel Universe' },
    ],
  },
  {
    label: 'Govern',
    links: [
      { href: '/use-cases', label: 'Use cases' },
      { href: '/compliance', label: 'Compliance' },
      { href: '/quality', label: 'Quality' },
      { href: '/policies', label: 'Policies' },
    ],
  },
  {
    label: 'Connect',
    links: [
      { href: '/provider-keys', label: 'Provider keys' },
      { href: '/api-keys', label: 'API keys' },
      { href: '/devices', label: 'Devices' },
      { href: '/approvers', label: 'Desktop approvers' },
      { href: '/mcp', label: 'MCP servers' },
      { href: '/mcp-activity', label: 'MCP activity' },
      { href: '/integrations', label: 'Integrations' },
    ],
  },
  {
    label: 'Organisation',
    links: [{ href: '/members', label: 'Members' }],
  },
];

const within = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** Whether a link is the page being shown: `/` only on itself, others on their own path and below it. */
export function isActive(link: NavLink, pathname: string): boolean {
  if (link.href === '/') return pathname === '/';
  return [link.href, ...(link.also ?? [])].some((prefix) => within(pathname, prefix));
}

/** The group holding the page being shown, if any. */
export function activeGroup(groups: readonly NavGroup[], pathname: string): NavGroup | undefined {
  return groups.find((group) => group.links.some((link) => isActive(link, pathname)));
}
