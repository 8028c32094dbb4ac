import { DesktopError } from './errors.js';

/** The part of Electron's `safeStorage` the vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Where the encrypted account file lives; the real one writes to Electron's userData folder. */
export interface AccountFile {
  read(): Promise<string | null>;
  write(contents: string): Promise<void>;
}

/** One paired org, as the approver knows it. */
export interface Account {
  org: string;
  orgName: string;
  serverUrl: string;
  approverId: string;
  expiresAt: string;
  token: string;
}

interface StoredAccount extends Omit<Account, 'token'> {
  sealedToken: string;
}

/**
 * Refuses to store a token the OS cannot protect. On Linux without a keyring Chromium falls back
 * to the `basic_text` backend, which "encrypts" with a hard-coded key: any local program could
 * read the token, so the approver does not pretend it is safe.
 */
export function assertSecureStorage(options: { safeStorage: SafeStorageLike; platform: string }): void {
  const { safeStorage, platform } = options;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    throw new DesktopError('insecure_storage');
  }
  if (!safeStorage.isEncryptionAvailable()) throw new DesktopError('storage_unavailable');
}

/** Approver tokens at rest: sealed with `safeStorage`, one per org, never written in plain text. */
export class TokenVault {
  readonly #safeStorage: SafeStorageLike;
  readonly #platform: string;
  readonly #file: AccountFile;

  constructor(options: { safeStorage: SafeStorageLike; platform: string; file: AccountFile }) {
    this.#safeStorage = options.safeStorage;
    this.#platform = options.platform;
    this.#file = options.file;
  }

  assertSecure(): void {
    assertSecureStorage({ safeStorage: this.#safeStorage, platform: this.#platform });
  }

  async list(): Promise<Account[]> {
    const stored = await this.#readStored();
    if (stored.length === 0) return [];
    this.assertSecure();
    return stored.map(({ sealedToken, ...rest }) => ({
      ...rest,
      token: this.#safeStorage.decryptString(Buffer.from(sealedToken, 'base64')),
    }));
  }

  async save(account: Account): Promise<void> {
    this.assertSecure();
    const { token, ...rest } = account;
    const sealedToken = this.#safeStorage.encryptString(token).toString('base64');
    const others = (await this.#readStored()).filter((entry) => entry.org !== account.org);
    await this.#writeStored([...others, { ...rest, sealedToken }]);
  }

  async remove(org: string): Promise<void> {
    const stored = await this.#readStored();
    await this.#writeStored(stored.filter((entry) => entry.org !== org));
  }

  async #readStored(): Promise<StoredAccount[]> {
    const raw = await this.#file.read();
    if (!raw) return [];
    const parsed = JSON.parse(raw) as { accounts?: StoredAccount[] };
    return Array.isArray(parsed.accounts) ? parsed.accounts : [];
  }

  async #writeStored(accounts: StoredAccount[]): Promise<void> {
    await this.#file.write(`${JSON.stringify({ version: 1, accounts }, null, 2)}\n`);
  }
}
