/**
 * Where a code is documented: the page and the heading whose table lists it. The docs spec
 * (`catalogue.unit.spec.ts`) reads these anchors, so a code and its documentation cannot drift apart.
 */
export type DocsAnchor = `api.md#${string}` | `gateway.md#${string}`;

/** One error: the HTTP status it answers with, a title for people, and where it is documented. */
export interface ErrorEntry {
  readonly status: number;
  readonly title: string;
  readonly docs: DocsAnchor;
}

/**
 * A capability's part of the catalogue. Every entry of a section shares its docs anchor; the section's
 * keys are the stable codes clients switch on.
 */
export function errorSection<const Codes extends string>(
  docs: DocsAnchor,
  entries: Record<Codes, { status: number; title: string }>,
): { readonly [C in Codes]: ErrorEntry } {
  const section = {} as Record<Codes, ErrorEntry>;
  for (const code of Object.keys(entries) as Codes[]) section[code] = { ...entries[code], docs };
  return section;
}
