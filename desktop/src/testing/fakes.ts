import type { Scheduler } from '../main/countdown.js';
import type { AccountFile, SafeStorageLike } from '../main/token-vault.js';

/** A reversible stand-in for OS encryption, so specs can see that nothing is stored in plain text. */
export function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('not sealed');
      return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
    },
  };
}

export function memoryFile(initial: string | null = null): AccountFile & { contents: string | null } {
  const file = {
    contents: initial,
    read: async () => file.contents,
    write: async (contents: string) => {
      file.contents = contents;
    },
  };
  return file;
}

/** Timers that fire only when the spec moves the clock, and the clock they share. */
export class ManualClock implements Scheduler {
  #now: number;
  #tasks: { at: number; run: () => void; handle: number }[] = [];
  #next = 0;

  constructor(start = Date.parse('2026-03-02T09:00:00Z')) {
    this.#now = start;
  }

  readonly now = (): Date => new Date(this.#now);

  setTimeout(run: () => void, ms: number): unknown {
    this.#next += 1;
    this.#tasks.push({ at: this.#now + ms, run, handle: this.#next });
    return this.#next;
  }

  clearTimeout(handle: unknown): void {
    this.#tasks = this.#tasks.filter((task) => task.handle !== handle);
  }

  get pending(): number {
    return this.#tasks.length;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#tasks.filter((task) => task.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#tasks = this.#tasks.filter((task) => task !== due);
      this.#now = due.at;
      due.run();
    }
    this.#now = until;
  }
}
