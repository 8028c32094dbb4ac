import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openRoot, type Root } from '../tools/confine.js';

export interface TempRoot {
  /** A scratch directory that is not inside the root, for escape attempts. */
  outside: string;
  dir: string;
  root: Root;
  file(rel: string, content: string): Promise<string>;
  link(rel: string, target: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A fresh root directory beside an "outside" directory holding a secret, for tool and escape tests. */
export async function tempRoot(): Promise<TempRoot> {
  const base = await mkdtemp(join(tmpdir(), 'proofpane-daemon-'));
  const dir = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(dir);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret\n');
  const root = await openRoot(dir);
  return {
    outside,
    dir,
    root,
    async file(rel, content) {
      const path = join(dir, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      return path;
    },
    async link(rel, target) {
      const path = join(dir, rel);
      await mkdir(dirname(path), { recursive: true });
      await symlink(target, path);
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
