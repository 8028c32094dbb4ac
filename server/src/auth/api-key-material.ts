import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@proofpane/core';

export const API_KEY_PREFIX = 'pp_';

export interface ApiKeyMaterial {
  /** Shown once to its creator; never stored, logged or put in an event. */
  key: string;
  /** `pp_` and the first 8 characters: enough to recognise a key in a list. */
  prefix: string;
  last4: string;
  /** SHA-256 hex of the key: what the database keeps and looks keys up by. */
  hash: string;
}

/** 32 random bytes: a key is as strong as a 256-bit secret, so a fast hash is enough to store it. */
export function generateApiKey(): ApiKeyMaterial {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, 11), last4: key.slice(-4), hash: hashApiKey(key) };
}

export const hashApiKey = (key: string): string => sha256Hex(key);

export const isApiKey = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);
