import { hash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SAFE = /^[A-Za-z0-9_-]{1,100}$/;

/** An id as a path segment: as it is when it is plain, else its hash, so no id can climb the tree. */
const segment = (id: string) => (SAFE.test(id) ? id : `h-${hash('sha256', id, 'hex').slice(0, 32)}`);

/**
 * Uploaded files, content-addressed under `<dataDir>/projects/<org>/<case>/<sha256>`. Every part of
 * the path is an id or a hash, never a client's file name.
 */
export function documentFiles(options: { dataDir: string }) {
  const dirOf = (org: string, useCaseId: string) =>
    join(options.dataDir, 'projects', segment(org), segment(useCaseId));
  return {
    pathOf: (org: string, useCaseId: string, sha256: string) => join(dirOf(org, useCaseId), sha256),
    /** Writes through a temporary name and a rename, so a reader never sees half a file. */
    async put(options: { org: string; useCaseId: string; sha256: string; bytes: Uint8Array }): Promise<void> {
      if (!/^[0-9a-f]{64}$/.test(options.sha256)) throw new Error('not a SHA-256 hex digest');
      const dir = dirOf(options.org, options.useCaseId);
      await mkdir(dir, { recursive: true });
      const temporary = join(dir, `.${options.sha256}.${process.pid}.${Date.now()}.part`);
      await writeFile(temporary, options.bytes);
      await rename(temporary, join(dir, options.sha256));
    },
    async remove(options: { org: string; useCaseId: string; sha256: string }): Promise<void> {
      if (!/^[0-9a-f]{64}$/.test(options.sha256)) return;
      await rm(join(dirOf(options.org, options.useCaseId), options.sha256), { force: true });
    },
  };
}

export type DocumentFiles = ReturnType<typeof documentFiles>;
