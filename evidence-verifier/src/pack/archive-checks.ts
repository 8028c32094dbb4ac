import { PACK_ENTRIES } from './format.js';
import type { CheckLog } from './report.js';
import type { ZipEntry } from './zip-directory.js';

/** Checks the archive holds exactly the four pack entries at its root; returns them by name. */
export function checkArchive(entries: ZipEntry[], log: CheckLog): Map<string, ZipEntry> {
  const byName = new Map<string, ZipEntry>();
  const problems: string[] = [];
  for (const entry of entries) {
    const label = JSON.stringify(entry.name);
    if (/[/\\]/.test(entry.name) || entry.name.split(/[/\\]/).includes('..') || entry.name.includes('\0'))
      problems.push(`entry ${label} is a path, not a root file name`);
    else if (!PACK_ENTRIES.includes(entry.name)) problems.push(`unexpected entry ${label}`);
    else if (byName.has(entry.name)) problems.push(`entry ${label} appears twice`);
    else byName.set(entry.name, entry);
  }
  for (const name of PACK_ENTRIES) if (!byName.has(name)) problems.push(`missing entry "${name}"`);
  if (problems.length === 0) log.pass('archive.entries', `exactly ${PACK_ENTRIES.join(', ')}`);
  else log.fail('archive.entries', problems.join('; '));
  return byName;
}
