import { type Kysely, sql } from 'kysely';

/**
 * The text of the document chunks a run's calls recorded as retrieved, for the judge's grounding check;
 * scoped by org. No documents table (the capability not installed): no chunks.
 */
export async function chunkTexts(
  db: Kysely<unknown>,
  options: { org: string; ids: readonly string[] },
): Promise<{ id: string; text: string }[]> {
  if (options.ids.length === 0) return [];
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('document_chunks')::text AS t`.execute(
    db,
  );
  if (!exists.rows[0]?.t) return [];
  const { rows } = await sql<{ id: string; text: string }>`
    SELECT id, text FROM document_chunks
    WHERE org = ${options.org} AND id = ANY(${[...options.ids]}::text[])`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r.text]));
  return options.ids.flatMap((id) => {
    const text = byId.get(id);
    return text === undefined ? [] : [{ id, text }];
  });
}
