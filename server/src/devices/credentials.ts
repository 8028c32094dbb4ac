import { randomBytes, randomInt } from 'node:crypto';
import { sha256Hex } from '@proofpane/core';

// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short pairing code such as `K7QF-2M9X` (40 bits, single use, minutes-long). */
export function newPairingCode(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export const normalisePairingCode = (code: string) => code.trim().toUpperCase().replaceAll('-', '');

export const hashPairingCode = (code: string) => sha256Hex(`pairing:${normalisePairingCode(code)}`);

export const DEVICE_TOKEN_PREFIX = 'ppd_';

export const newDeviceToken = () => `${DEVICE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export const hashDeviceToken = (token: string) => sha256Hex(token);
