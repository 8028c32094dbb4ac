import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Key = PropertyKey;

/** `messages[2].content[0].foo`: the path as the caller wrote the field. */
export function parameterPath(path: readonly Key[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

/**
 * The unknown keys a failed parse found, with their full paths, when unknown keys are all that is wrong;
 * `undefined` when anything else is. A union counts as only unknown keys when one of its branches does
 * (the first such branch is the one the caller meant: its types and literals all matched).
 */
function unknownOnly(issues: readonly Issue[], base: readonly Key[]): Key[][] | undefined {
  const found: Key[][] = [];
  for (const issue of issues) {
    const at = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) found.push([...at, key]);
      continue;
    }
    if (issue.code !== 'invalid_union') return undefined;
    const branch = issue.errors.map((e) => unknownOnly(e, at)).find((b) => b !== undefined);
    if (!branch) return undefined;
    found.push(...branch);
  }
  return found;
}

function valueAt(root: unknown, path: readonly Key[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<Key, unknown>)[key];
  }
  return node;
}

/**
 * Parses a wire body on schemas built from strict objects. Unknown keys anywhere in it are not an error of
 * the body's shape but parameters the gateway does not carry: they come back by full path in `unknown`
 * (for the refusal that names them and the provider), parsed without them. An unknown key whose value is
 * null counts as absent, as SDKs send nulls for fields they leave unset.
 */
export function parseWire<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { success: true; data: z.output<S>; unknown: string[] } | { success: false; error: z.ZodError } {
  const first = schema.safeParse(body);
  if (first.success) return { success: true, data: first.data, unknown: [] };
  const paths = unknownOnly(first.error.issues, []);
  if (!paths || paths.length === 0) return first;
  const copy = structuredClone(body);
  const unknown = new Set<string>();
  for (const path of paths) {
    const parent = valueAt(copy, path.slice(0, -1)) as Record<Key, unknown> | undefined;
    const key = path.at(-1)!;
    if (!parent) return first;
    if (parent[key] !== null && parent[key] !== undefined) unknown.add(parameterPath(path));
    delete parent[key];
  }
  const second = schema.safeParse(copy);
  if (!second.success) return first;
  return { success: true, data: second.data, unknown: [...unknown] };
}

/** The request with the body's unknown keys added to what it cannot carry (the refusal names them first). */
export function withUnknown<R extends { uncarried?: string[] }>(request: R, unknown: readonly string[]): R {
  if (unknown.length === 0) return request;
  return { ...request, uncarried: [...unknown, ...(request.uncarried ?? [])] };
}
