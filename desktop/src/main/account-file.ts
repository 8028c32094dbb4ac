import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountFile } from './token-vault.js';

/** The account file in the app's data folder, readable only by its owner, replaced atomically. */
export function accountFileIn(folder: string): AccountFile {
  const path = join(folder, 'accounts.json');
  return {
    read: async () => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    write: async (contents) => {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, contents, { mode: 0o600 });
      await rename(temporary, path);
    },
  };
}
