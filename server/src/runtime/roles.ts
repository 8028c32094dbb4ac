/**
 * Process roles (docs/operations.md): one image, started as `api`, `projector` or `worker` — or a
 * comma list of them, such as `projector,worker` — or as `all` for a single process (`make run`).
 * Any number of processes may run each role.
 */
export const DUTIES = ['api', 'projector', 'worker'] as const;
export type Duty = (typeof DUTIES)[number];
/** `all`, one duty, or a comma list of duties. */
export type ProcessRole = string & { readonly __role?: never };

/** The roles `--help` lists (a comma list of duties is accepted as well). */
export const PROCESS_ROLES = ['all', ...DUTIES] as const;

export function parseRole(text: string): ProcessRole | undefined {
  const value = text.trim();
  if (value === 'all') return value;
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p) => (DUTIES as readonly string[]).includes(p))) return undefined;
  if (new Set(parts).size !== parts.length) return undefined;
  return parts.join(',');
}

export function roleRuns(role: ProcessRole, duty: Duty): boolean {
  return role === 'all' || role.split(',').includes(duty);
}
