export { removeProviderKey, setProviderKey } from './key-service.js';
export { loadMasterKey, MasterKeyError } from './master-key.js';
export { migrateSecrets } from './migrations.js';
export { createProviderKeyVault, type ProviderKeyVault, type StoredProviderKey } from './provider-keys.js';
export { openSecret, sealSecret, secretFingerprint } from './seal.js';
