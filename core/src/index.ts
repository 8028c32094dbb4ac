export * from './crypto/sha256.js';
export * from './crypto/signing-keys.js';
