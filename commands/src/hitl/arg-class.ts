/**
 * A coarse shape of a call's arguments, so that precedents only apply to calls of the same
 * kind: the argument names, and for paths their top folder and extension.
 */
export function argClass(args: unknown): string {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return typeof args;
  const parts = Object.keys(args as Record<string, unknown>)
    .sort()
    .map((key) => {
      const value = (args as Record<string, unknown>)[key];
      if (key === 'path' && typeof value === 'string') {
        const top = value.split('/').filter(Boolean)[0] ?? '.';
        const ext = /\.([A-Za-z0-9]{1,8})$/.exec(value)?.[1] ?? '';
        return `path:${top.includes('.') ? '.' : top}:${ext}`;
      }
      return key;
    });
  return parts.join(',').slice(0, 200);
}
